// scripts/build.mjs bundles .c and .h files as text: importing one gives its contents.
declare module '*.c' {
  const text: string;
  export default text;
}
declare module '*.h' {
  const text: string;
  export default text;
}
