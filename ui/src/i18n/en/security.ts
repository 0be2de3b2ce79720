/** English strings of the security area. */
export const security = {
  title: "Security",
};
