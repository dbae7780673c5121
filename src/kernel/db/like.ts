/** Text matched literally inside a LIKE pattern whose escape character is `\` (as every LIKE here declares). */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
