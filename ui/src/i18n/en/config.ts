/** English strings of the config area. */
export const config = {
  title: "Config",
};
