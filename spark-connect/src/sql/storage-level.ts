// StorageLevel, as PySpark names them: how `cache`/`persist`/`cacheTable` keep data. A plain value
// object converted to the Connect message at the edge.
import { create } from '@bufbuild/protobuf';
import { StorageLevelSchema, type StorageLevel as StorageLevelProto } from '../gen/spark/connect/common_pb.js';

export interface StorageLevel {
  readonly useDisk: boolean;
  readonly useMemory: boolean;
  readonly useOffHeap: boolean;
  readonly deserialized: boolean;
  readonly replication: number;
}

const level = (useDisk: boolean, useMemory: boolean, useOffHeap: boolean, deserialized: boolean, replication = 1): StorageLevel =>
  Object.freeze({ useDisk, useMemory, useOffHeap, deserialized, replication });

/** PySpark's `StorageLevel` constants (same flags, same names). */
export const StorageLevel = Object.freeze({
  NONE: level(false, false, false, false),
  DISK_ONLY: level(true, false, false, false),
  DISK_ONLY_2: level(true, false, false, false, 2),
  DISK_ONLY_3: level(true, false, false, false, 3),
  MEMORY_ONLY: level(false, true, false, false),
  MEMORY_ONLY_2: level(false, true, false, false, 2),
  MEMORY_AND_DISK: level(true, true, false, false),
  MEMORY_AND_DISK_2: level(true, true, false, false, 2),
  OFF_HEAP: level(true, true, true, false),
  MEMORY_AND_DISK_DESER: level(true, true, false, true),
});

export function storageLevelToProto(l: StorageLevel): StorageLevelProto {
  return create(StorageLevelSchema, { ...l });
}

export function storageLevelFromProto(p: StorageLevelProto): StorageLevel {
  return level(p.useDisk, p.useMemory, p.useOffHeap, p.deserialized, p.replication);
}
