// What tests of other packages need from the producer: a local server speaking randomuser's format, and
// the synthetic users it serves (the same generator the synthetic source uses).
export { startFakeRandomUserApi, type FakeApiOptions, type FakeFault, type FakeRandomUserApi, type FakeRequest } from './fake-randomuser-api.js';
export { generateUsers } from '../source/synthetic-users.js';
