/** English strings of the playground area. */
export const playground = {
  title: "Routing playground",
};
