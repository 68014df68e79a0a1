/**
 * Charset detection for text that is not UTF-8 (src/extract/plain-text.ts): Western files stay
 * Windows-1252, Cyrillic ones are read as Windows-1251 or KOI8-R, an HTML page's declared charset
 * is used, and a large UTF-8 file cut for the index stays UTF-8.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decodeText, declaredHtmlCharset, guessSingleByteCharset, MAX_INDEXED_TEXT_CHARS, plainTextOf } from '../../src/extract/plain-text.ts';
import { encodeText } from '../support/generator/charsets.ts';

/** Text in an 8-bit charset by inverting Node's decoder (the generator's encodeText has no Windows-1251). */
function encode8bit(text: string, label: string): Buffer {
  const decoder = new TextDecoder(label);
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) table.set(decoder.decode(Uint8Array.of(b)), b);
  return Buffer.from(Array.from(text, (ch) => {
    const b = table.get(ch);
    if (b === undefined) throw new Error(`${ch} has no byte in ${label}`);
    return b;
  }));
}

const RUSSIAN = 'Уважаемые коллеги, высылаю вам проект письма о финансировании кампании. Рошка Георгий Петрович. Москва, 3 мая 2017 г.';
const FRENCH = 'Le président a été élu à Évry ; la réunion du 3 mai coûtera 1 234,50 € (hôtel, déplacements, reçus à fournir).';

describe('charset detection', () => {
  it('keeps Western 8-bit text as Windows-1252', () => {
    const bytes = encodeText(FRENCH, 'windows-1252') as Buffer;
    assert.equal(guessSingleByteCharset(bytes), 'windows-1252');
    assert.equal(decodeText(bytes), FRENCH);
    const german = encode8bit('Größenverhältnisse, Übermäßig, Straße: die Äpfel und Öfen sind schön.', 'windows-1252');
    assert.equal(guessSingleByteCharset(german), 'windows-1252');
  });

  it('reads Russian in Windows-1251 and in KOI8-R', () => {
    assert.equal(decodeText(encode8bit(RUSSIAN, 'windows-1251')), RUSSIAN);
    assert.equal(decodeText(encodeText(RUSSIAN, 'koi8-r') as Buffer), RUSSIAN);
    const mixed = `${RUSSIAN} Subject: Re: budget meeting, please confirm.`;
    assert.equal(decodeText(encode8bit(mixed, 'windows-1251')), mixed);
  });

  it('does not guess from a handful of letters', () => {
    assert.equal(guessSingleByteCharset(encode8bit('Да.', 'windows-1251')), 'windows-1252');
  });

  it('uses the charset an HTML page declares when its bytes are not UTF-8', () => {
    const page = (meta: string): Buffer => Buffer.concat([Buffer.from(`<html><head>${meta}<title>x</title></head><body><p>`), encode8bit('Привет', 'windows-1251'), Buffer.from('</p></body></html>')]);
    assert.equal(declaredHtmlCharset(page('<meta charset="windows-1251">')), 'windows-1251');
    assert.equal(declaredHtmlCharset(page('<meta http-equiv="Content-Type" content="text/html; charset=KOI8-R">')), 'koi8-r');
    assert.equal(plainTextOf('html', page('<meta charset="windows-1251">')), 'Привет');
    // Six Cyrillic letters are too few to guess from; the declaration decides, a bogus one is ignored.
    assert.equal(plainTextOf('html', page('<meta charset="no-such-charset">')), 'Ïðèâåò');
  });

  it('cuts a large UTF-8 file on a character boundary, so it is still read as UTF-8', () => {
    const big = Buffer.from('é'.repeat(MAX_INDEXED_TEXT_CHARS * 2 + 1), 'utf8');
    const text = plainTextOf('text', Buffer.concat([Buffer.from('x'), big])) as string;
    assert.equal(text.length, MAX_INDEXED_TEXT_CHARS);
    assert.equal(text.slice(0, 3), 'xéé');
    assert.equal(text.at(-1), 'é');
  });
});
