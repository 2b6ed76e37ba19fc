// scripts/build.mjs bundles .c files as text: importing a template gives its contents.
declare module '*.c' {
  const text: string;
  export default text;
}
