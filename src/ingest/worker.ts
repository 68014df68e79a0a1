/** Worker thread entry: processes buffers sent by the pool (hash, store, parse) and returns records. */
import { parentPort, workerData } from 'node:worker_threads';
import { BlobStore } from '../store/blob-store.ts';
import { processBuffer, type BufferJob } from './process-buffer.ts';

const blobs = new BlobStore((workerData as { blobsDir: string }).blobsDir);

parentPort!.on('message', (msg: { id: number; job: BufferJob }) => {
  processBuffer(msg.job, blobs).then(
    (result) => parentPort!.postMessage({ id: msg.id, result }),
    (err: Error) => parentPort!.postMessage({ id: msg.id, error: `${err.name}: ${err.message}` }),
  );
});
