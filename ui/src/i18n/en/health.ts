/** English strings of the health area. */
export const health = {
  title: "Models & health",
};
