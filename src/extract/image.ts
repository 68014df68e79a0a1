/** Raster images, recognised by their magic numbers (EXIF and the rest are read by forensics). */
import { SCORE_EXTENSION, SCORE_MAGIC, startsWithBytes, type FormatModule } from './format.ts';

function image(name: string, mime: string, extensions: string[], magic: (head: Uint8Array) => boolean): FormatModule {
  return {
    name,
    class: 'document',
    mimeTypes: [mime],
    extensions,
    sniff(head, fileName) {
      if (magic(head)) return SCORE_MAGIC;
      return extensions.some((e) => fileName.toLowerCase().endsWith(`.${e}`)) && head.length > 0 ? SCORE_EXTENSION - 20 : 0;
    },
  };
}

export const jpegFormat = image('jpeg', 'image/jpeg', ['jpg', 'jpeg'], (h) => startsWithBytes(h, [0xff, 0xd8, 0xff]));
export const pngFormat = image('png', 'image/png', ['png'], (h) => startsWithBytes(h, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
export const gifFormat = image('gif', 'image/gif', ['gif'], (h) => startsWithBytes(h, 'GIF87a') || startsWithBytes(h, 'GIF89a'));
export const tiffFormat = image('tiff', 'image/tiff', ['tif', 'tiff'], (h) => startsWithBytes(h, 'II*\0') || startsWithBytes(h, 'MM\0*'));
export const webpFormat = image('webp', 'image/webp', ['webp'], (h) => startsWithBytes(h, 'RIFF') && startsWithBytes(h, 'WEBP', 8));
