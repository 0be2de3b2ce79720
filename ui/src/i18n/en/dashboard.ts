/** English strings of the dashboard area. */
export const dashboard = {
  title: "Dashboard",
};
