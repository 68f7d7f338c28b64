// The SMTP pool's thread (see threaded-smtp-mailer.ts). Plain JavaScript so it loads in a worker
// thread without the TypeScript loader. Messages arrive as nodemailer options; answers go back as
// the server's response or the error's fields, which the main thread classifies.
import { parentPort, workerData } from 'node:worker_threads';
import nodemailer from 'nodemailer';

const transport = nodemailer.createTransport(workerData);

parentPort.on('message', async (request) => {
  if (request.close) {
    transport.close();
    parentPort.close();
    return;
  }
  try {
    const info = await transport.sendMail(request.mail);
    parentPort.postMessage({
      id: request.id,
      response: String(info.response ?? 'sent'),
      rejected: (info.rejected ?? []).length,
    });
  } catch (e) {
    parentPort.postMessage({
      id: request.id,
      error: {
        responseCode: e?.responseCode,
        code: e?.code,
        response: e?.response,
        message: e?.message ?? String(e),
        command: e?.command,
      },
    });
  }
});
