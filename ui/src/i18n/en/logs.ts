/** English strings of the logs area. */
export const logs = {
  title: "Logs",
};
