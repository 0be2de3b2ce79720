/** Vite handles these imports: CSS is bundled, nothing to type. */
declare module "*.css";
