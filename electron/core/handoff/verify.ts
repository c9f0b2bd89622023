import { AppError } from '../../../shared/errors.js';
import { decryptChunks, readEnvelope, sha256Hex, type Envelope } from './format.js';
import { verifyBytes } from './keys.js';

/** The file's structure and the sender's signature over magic and header. */
export function verifySignature(bytes: Buffer, publicKeyBase64: string): Envelope {
  const env = readEnvelope(bytes);
  if (!verifyBytes(publicKeyBase64, env.signed, env.signature)) {
    throw new AppError(
      'BAD_SIGNATURE',
      '数据交换包的签名校验未通过：文件在导出后被改动过或已损坏。请不要使用此文件，请对方重新导出。',
    );
  }
  return env;
}

/** The payload is exactly what the signed header announced (size and sha256). */
export function checkPayloadHash(env: Envelope): void {
  if (env.payload.length !== env.header.payload.bytes) {
    throw new AppError('PACKAGE_INVALID', '数据交换包不完整（文件被截断或没有拷贝完），请重新拷贝，或请对方重新导出。');
  }
  if (sha256Hex(env.payload) !== env.header.payload.sha256) {
    throw new AppError('PACKAGE_INVALID', '数据交换包内容已损坏（校验值不符），请重新拷贝，或请对方重新导出。');
  }
}

/** Checks the payload's size and hash, then decrypts every chunk: the gzip'd changes. */
export function openPayload(env: Envelope, encKey: Buffer): Buffer {
  checkPayloadHash(env);
  const { nonce, chunkSize, chunkCount } = env.header.cipher;
  const plain = decryptChunks(env.payload, encKey, Buffer.from(nonce, 'base64'), chunkSize, chunkCount, Buffer.from(env.header.packageId));
  if (plain.length !== env.header.payload.plainBytes) {
    throw new AppError('PACKAGE_INVALID', '数据交换包内容长度与文件头不符，文件可能已损坏。');
  }
  return plain;
}
