// Is PostgreSQL accepting connections? One StartupMessage, one byte of answer: 'R' (an authentication
// request) means the server takes logins; 'E' means it refuses them ("the database system is starting
// up"). The binaries the stack uses carry no pg_isready, and a TCP accept alone says nothing.
import { socketProbe } from './health.js';

export function postgresAccepts(host: string, port: number, user: string, database: string, timeoutMs = 2_000): Promise<boolean> {
  return socketProbe(host, port, timeoutMs, (socket, done) => {
    const params = Buffer.from(`user\0${user}\0database\0${database}\0\0`, 'utf8');
    const header = Buffer.alloc(8);
    header.writeInt32BE(8 + params.length, 0);
    header.writeInt32BE(196608, 4); // protocol 3.0
    socket.once('data', (data) => done(data[0] === 0x52 /* 'R' */));
    socket.write(Buffer.concat([header, params]));
  });
}
