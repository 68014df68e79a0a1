/** Worker thread entry: runs the requests the pool sends (see worker-tasks.ts) and answers them. */
import { parentPort, workerData } from 'node:worker_threads';
import { BlobStore } from '../store/blob-store.ts';
import { handleRequest, type WorkerRequest } from './worker-tasks.ts';

const blobs = new BlobStore((workerData as { blobsDir: string }).blobsDir);

parentPort!.on('message', (msg: { id: number; request: WorkerRequest }) => {
  handleRequest(msg.request, blobs).then(
    (result) => msg.id >= 0 && parentPort!.postMessage({ id: msg.id, result }),
    (err: Error) => msg.id >= 0 && parentPort!.postMessage({ id: msg.id, error: `${err.name}: ${err.message}` }),
  );
});
