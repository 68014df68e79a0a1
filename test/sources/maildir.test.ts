import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAILDIR_SUBDIRS, isMaildir, parseMaildirName } from '../../src/sources/maildir.ts';

describe('isMaildir', () => {
  test('needs cur and new; tmp is optional', () => {
    assert.equal(isMaildir(['cur', 'new', 'tmp']), true);
    assert.equal(isMaildir(['new', 'cur', 'dovecot-uidlist', '.Sent']), true);
    assert.equal(isMaildir(['cur/', 'new/']), true);
    assert.equal(isMaildir(['cur', 'tmp']), false);
    assert.equal(isMaildir(['new']), false);
    assert.equal(isMaildir([]), false);
    assert.deepEqual(MAILDIR_SUBDIRS, ['cur', 'new', 'tmp']);
  });
});

describe('parseMaildirName', () => {
  test('splits the unique part from the flags', () => {
    assert.deepEqual(parseMaildirName('1488463391.M123P456.mail.example.com:2,RS'), {
      unique: '1488463391.M123P456.mail.example.com',
      flags: ['replied', 'seen'],
      info: '2,RS',
    });
    assert.deepEqual(parseMaildirName('1.2.host:2,DFPRST').flags, ['draft', 'flagged', 'passed', 'replied', 'seen', 'trashed']);
  });

  test('a name without info has no flags', () => {
    assert.deepEqual(parseMaildirName('1488463391.M123P456.host'), { unique: '1488463391.M123P456.host', flags: [] });
    assert.deepEqual(parseMaildirName('1.2.host:2,'), { unique: '1.2.host', flags: [], info: '2,' });
  });

  test('accepts the ; and ! separators of Windows-friendly variants', () => {
    assert.deepEqual(parseMaildirName('1.2.host;2,S'), { unique: '1.2.host', flags: ['seen'], info: '2,S' });
    assert.deepEqual(parseMaildirName('1.2.host!2,FS'), { unique: '1.2.host', flags: ['flagged', 'seen'], info: '2,FS' });
  });

  test('keeps Dovecot size fields in the unique part and keywords in info', () => {
    assert.deepEqual(parseMaildirName('1.M2P3.host,S=4321,W=4400:2,Sab'), {
      unique: '1.M2P3.host,S=4321,W=4400',
      flags: ['seen'],
      info: '2,Sab',
    });
  });

  test('only a separator before 1, or 2, counts; experimental info has no flags', () => {
    assert.deepEqual(parseMaildirName('odd;name!x'), { unique: 'odd;name!x', flags: [] });
    assert.deepEqual(parseMaildirName('1.2.host:1,whatever'), { unique: '1.2.host', flags: [], info: '1,whatever' });
  });
});
