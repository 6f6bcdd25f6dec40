// subset-font ships no types; this is the part of its API build/codicons.ts uses
// (https://github.com/papandreou/subset-font#readme).
declare module 'subset-font' {
  interface SubsetOptions {
    /** The output format; by default the input's. */
    readonly targetFormat?: 'sfnt' | 'truetype' | 'woff' | 'woff2';
  }
  /** The glyphs `font` needs to draw `text`, as a new font. */
  export default function subsetFont(font: Buffer, text: string, options?: SubsetOptions): Promise<Buffer>;
}
