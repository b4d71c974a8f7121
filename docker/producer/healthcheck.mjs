// Healthcheck of the compose `producer` service: the process is running (the container exits if it
// does not) and its Kafka bootstrap server accepts TCP connections from inside the container.
// Plain Node, no dependencies. Exit 0 = healthy.
import { connect } from 'node:net';

const first = (process.env.KAFKA_BOOTSTRAP_SERVERS ?? 'kafka:29092').split(',')[0]?.trim() ?? '';
const at = first.lastIndexOf(':');
const host = at > 0 ? first.slice(0, at).replace(/^\[|\]$/g, '') : first;
const port = at > 0 ? Number(first.slice(at + 1)) : 9092;

const socket = connect({ host, port, timeout: 3000 });
socket.on('connect', () => {
  socket.end();
  process.exit(0);
});
socket.on('timeout', () => {
  console.error(`healthcheck: ${host}:${port} timed out`);
  process.exit(1);
});
socket.on('error', (err) => {
  console.error(`healthcheck: ${host}:${port}: ${err.message}`);
  process.exit(1);
});
