// Is a gRPC server answering on host:port? Sends one empty gRPC request over HTTP/2 and accepts any
// response that carries a grpc-status: the server parsed our request, so the endpoint really works.
// (A plain TCP connect would also succeed against a half-started JVM or a foreign process.)
import http2 from 'node:http2';

export function grpcAnswers(host: string, port: number, timeoutMs = 3_000, method = '/spark.connect.SparkConnectService/Config'): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const client = http2.connect(`http://${host}:${port}`);
    const finish = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    client.on('error', () => finish(false));
    const request = client.request({ ':method': 'POST', ':path': method, 'content-type': 'application/grpc', te: 'trailers' });
    request.on('response', (headers) => {
      if (headers['grpc-status'] !== undefined) finish(true);
    });
    request.on('trailers', (trailers) => finish(trailers['grpc-status'] !== undefined));
    request.on('error', () => finish(false));
    request.on('close', () => finish(false));
    // One gRPC frame: not compressed, zero-length message.
    request.end(Buffer.from([0, 0, 0, 0, 0]));
  });
}
