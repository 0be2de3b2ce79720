/** English strings of the keys area. */
export const keys = {
  title: "API keys",
};
