// Spark SQL data types as a small TypeScript tree, with the three renderings the protocol needs:
// DDL (`id STRING NOT NULL, ...`), Spark's JSON schema form (what `DataType.fromJson` parses and what
// PySpark sends for from_json / readStream.schema), and the Connect `DataType` protobuf message.
import { create } from '@bufbuild/protobuf';
import type { JsonValue } from '../json.js';
import { DataTypeSchema, type DataType as ProtoDataType } from '../gen/spark/connect/types_pb.js';

export type AtomicTypeName =
  | 'null'
  | 'binary'
  | 'boolean'
  | 'byte'
  | 'short'
  | 'integer'
  | 'long'
  | 'float'
  | 'double'
  | 'string'
  | 'date'
  | 'timestamp'
  | 'timestamp_ntz'
  | 'calendar_interval';

export interface AtomicType {
  readonly kind: AtomicTypeName;
}
export interface DecimalType {
  readonly kind: 'decimal';
  readonly precision: number;
  readonly scale: number;
}
export interface CharType {
  readonly kind: 'char' | 'varchar';
  readonly length: number;
}
export interface ArrayType {
  readonly kind: 'array';
  readonly elementType: DataType;
  readonly containsNull: boolean;
}
export interface MapType {
  readonly kind: 'map';
  readonly keyType: DataType;
  readonly valueType: DataType;
  readonly valueContainsNull: boolean;
}
/** Interval types: fields are Spark's codes (year=0, month=1 / day=0, hour=1, minute=2, second=3). */
export interface IntervalType {
  readonly kind: 'year_month_interval' | 'day_time_interval';
  readonly startField: number;
  readonly endField: number;
}
/** A type this client does not model (user-defined types, or new kinds from a newer server). */
export interface OtherType {
  readonly kind: 'other';
  readonly typeString: string;
}
export interface StructField {
  readonly name: string;
  readonly dataType: DataType;
  readonly nullable: boolean;
  /** Spark field metadata (a JSON object); empty by default. */
  readonly metadata: Readonly<Record<string, JsonValue>>;
}

export type DataType = AtomicType | DecimalType | CharType | ArrayType | MapType | IntervalType | OtherType | StructType;

const atomic = (kind: AtomicTypeName): AtomicType => Object.freeze({ kind });
export const NullType = (): AtomicType => atomic('null');
export const BinaryType = (): AtomicType => atomic('binary');
export const BooleanType = (): AtomicType => atomic('boolean');
export const ByteType = (): AtomicType => atomic('byte');
export const ShortType = (): AtomicType => atomic('short');
export const IntegerType = (): AtomicType => atomic('integer');
export const LongType = (): AtomicType => atomic('long');
export const FloatType = (): AtomicType => atomic('float');
export const DoubleType = (): AtomicType => atomic('double');
export const StringType = (): AtomicType => atomic('string');
export const DateType = (): AtomicType => atomic('date');
export const TimestampType = (): AtomicType => atomic('timestamp');
export const TimestampNTZType = (): AtomicType => atomic('timestamp_ntz');
export const CalendarIntervalType = (): AtomicType => atomic('calendar_interval');
/** `INTERVAL DAY TO SECOND` by default; fields are Spark's codes (day=0, hour=1, minute=2, second=3). */
export const DayTimeIntervalType = (startField = 0, endField = 3): IntervalType => ({ kind: 'day_time_interval', startField, endField });
/** `INTERVAL YEAR TO MONTH` by default; fields are Spark's codes (year=0, month=1). */
export const YearMonthIntervalType = (startField = 0, endField = 1): IntervalType => ({ kind: 'year_month_interval', startField, endField });
export const DecimalType = (precision = 10, scale = 0): DecimalType => ({ kind: 'decimal', precision, scale });
export const ArrayType = (elementType: DataType, containsNull = true): ArrayType => ({ kind: 'array', elementType, containsNull });
export const MapType = (keyType: DataType, valueType: DataType, valueContainsNull = true): MapType => ({
  kind: 'map',
  keyType,
  valueType,
  valueContainsNull,
});

/** An immutable struct type; `add` returns a new StructType (so shared schemas cannot be mutated). */
export class StructType {
  readonly kind = 'struct' as const;
  readonly fields: readonly StructField[];

  constructor(fields: readonly StructField[] = []) {
    this.fields = Object.freeze([...fields]);
  }

  add(name: string, dataType: DataType, nullable = true, metadata: Record<string, JsonValue> = {}): StructType {
    return new StructType([...this.fields, { name, dataType, nullable, metadata }]);
  }

  fieldNames(): string[] {
    return this.fields.map((f) => f.name);
  }

  /** DDL as `StructType.toDDL` renders it: `` `id` STRING NOT NULL,`address` STRUCT<...> ``. */
  toDDL(): string {
    return this.fields.map((f) => `${quoteIdentifier(f.name)} ${toSqlType(f.dataType)}${f.nullable ? '' : ' NOT NULL'}`).join(',');
  }

  /** Spark's JSON schema form (`{"type":"struct","fields":[...]}`), the object. */
  jsonValue(): JsonValue {
    return toJsonValue(this);
  }

  /** Spark's JSON schema form as a string, byte-compatible with `StructType.json` in Scala/PySpark. */
  json(): string {
    return JSON.stringify(this.jsonValue());
  }

  simpleString(): string {
    return toSimpleString(this);
  }

  /** `root\n |-- id: string (nullable = true)` as printed by `printSchema()`. */
  treeString(): string {
    const lines = ['root'];
    const walk = (t: DataType, prefix: string): void => {
      if (t.kind === 'struct') {
        for (const f of t.fields) {
          lines.push(`${prefix}-- ${f.name}: ${typeName(f.dataType)} (nullable = ${f.nullable})`);
          walk(f.dataType, `${prefix}    |`);
        }
      } else if (t.kind === 'array') {
        lines.push(`${prefix}-- element: ${typeName(t.elementType)} (containsNull = ${t.containsNull})`);
        walk(t.elementType, `${prefix}    |`);
      } else if (t.kind === 'map') {
        lines.push(`${prefix}-- key: ${typeName(t.keyType)}`);
        walk(t.keyType, `${prefix}    |`);
        lines.push(`${prefix}-- value: ${typeName(t.valueType)} (valueContainsNull = ${t.valueContainsNull})`);
        walk(t.valueType, `${prefix}    |`);
      }
    };
    walk(this, ' |');
    return lines.join('\n') + '\n';
  }
}

/** Back-quotes an identifier the way Spark's `quoteIdentifier` does (doubling embedded back-quotes). */
export function quoteIdentifier(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

const SQL_NAMES: Record<AtomicTypeName, string> = {
  null: 'VOID',
  binary: 'BINARY',
  boolean: 'BOOLEAN',
  byte: 'TINYINT',
  short: 'SMALLINT',
  integer: 'INT',
  long: 'BIGINT',
  float: 'FLOAT',
  double: 'DOUBLE',
  string: 'STRING',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  timestamp_ntz: 'TIMESTAMP_NTZ',
  calendar_interval: 'INTERVAL',
};

const YM = ['YEAR', 'MONTH'];
const DT = ['DAY', 'HOUR', 'MINUTE', 'SECOND'];
function intervalName(t: IntervalType): string {
  const names = t.kind === 'year_month_interval' ? YM : DT;
  const s = names[t.startField] ?? '?';
  const e = names[t.endField] ?? '?';
  return s === e ? `INTERVAL ${s}` : `INTERVAL ${s} TO ${e}`;
}

/** The SQL (DDL) spelling of a type, as `DataType.sql` renders it. */
export function toSqlType(t: DataType): string {
  switch (t.kind) {
    case 'decimal':
      return `DECIMAL(${t.precision},${t.scale})`;
    case 'char':
      return `CHAR(${t.length})`;
    case 'varchar':
      return `VARCHAR(${t.length})`;
    case 'array':
      return `ARRAY<${toSqlType(t.elementType)}>`;
    case 'map':
      return `MAP<${toSqlType(t.keyType)}, ${toSqlType(t.valueType)}>`;
    case 'struct':
      return `STRUCT<${t.fields.map((f) => `${quoteIdentifier(f.name)}: ${toSqlType(f.dataType)}${f.nullable ? '' : ' NOT NULL'}`).join(', ')}>`;
    case 'year_month_interval':
    case 'day_time_interval':
      return intervalName(t);
    case 'other':
      return t.typeString;
    default:
      return SQL_NAMES[t.kind];
  }
}

/** The JSON `typeName` (`integer`, `decimal(10,0)`, ...). */
export function typeName(t: DataType): string {
  switch (t.kind) {
    case 'decimal':
      return `decimal(${t.precision},${t.scale})`;
    case 'char':
    case 'varchar':
      return `${t.kind}(${t.length})`;
    case 'year_month_interval':
    case 'day_time_interval':
      return intervalName(t).toLowerCase();
    case 'other':
      return t.typeString;
    case 'null':
      // Spark (and PySpark) name NullType `void` in JSON, simpleString and printSchema.
      return 'void';
    default:
      return t.kind;
  }
}

function toJsonValue(t: DataType): JsonValue {
  switch (t.kind) {
    case 'array':
      return { type: 'array', elementType: toJsonValue(t.elementType), containsNull: t.containsNull };
    case 'map':
      return { type: 'map', keyType: toJsonValue(t.keyType), valueType: toJsonValue(t.valueType), valueContainsNull: t.valueContainsNull };
    case 'struct':
      return {
        type: 'struct',
        fields: t.fields.map((f) => ({ name: f.name, type: toJsonValue(f.dataType), nullable: f.nullable, metadata: f.metadata })),
      };
    default:
      return typeName(t);
  }
}

function toSimpleString(t: DataType): string {
  switch (t.kind) {
    case 'array':
      return `array<${toSimpleString(t.elementType)}>`;
    case 'map':
      return `map<${toSimpleString(t.keyType)},${toSimpleString(t.valueType)}>`;
    case 'struct':
      return `struct<${t.fields.map((f) => `${f.name}:${toSimpleString(f.dataType)}`).join(',')}>`;
    case 'integer':
      return 'int';
    case 'long':
      return 'bigint';
    case 'short':
      return 'smallint';
    case 'byte':
      return 'tinyint';
    default:
      return typeName(t);
  }
}

/** Converts to the Connect protobuf `DataType` (used by Cast and typed null literals). */
export function toProtoDataType(t: DataType): ProtoDataType {
  switch (t.kind) {
    case 'decimal':
      return create(DataTypeSchema, { kind: { case: 'decimal', value: { precision: t.precision, scale: t.scale } } });
    case 'char':
      return create(DataTypeSchema, { kind: { case: 'char', value: { length: t.length } } });
    case 'varchar':
      return create(DataTypeSchema, { kind: { case: 'varChar', value: { length: t.length } } });
    case 'array':
      return create(DataTypeSchema, {
        kind: { case: 'array', value: { elementType: toProtoDataType(t.elementType), containsNull: t.containsNull } },
      });
    case 'map':
      return create(DataTypeSchema, {
        kind: {
          case: 'map',
          value: { keyType: toProtoDataType(t.keyType), valueType: toProtoDataType(t.valueType), valueContainsNull: t.valueContainsNull },
        },
      });
    case 'struct':
      return create(DataTypeSchema, {
        kind: {
          case: 'struct',
          value: {
            fields: t.fields.map((f) => ({
              name: f.name,
              dataType: toProtoDataType(f.dataType),
              nullable: f.nullable,
              ...(Object.keys(f.metadata).length > 0 ? { metadata: JSON.stringify(f.metadata) } : {}),
            })),
          },
        },
      });
    case 'year_month_interval':
      return create(DataTypeSchema, { kind: { case: 'yearMonthInterval', value: { startField: t.startField, endField: t.endField } } });
    case 'day_time_interval':
      return create(DataTypeSchema, { kind: { case: 'dayTimeInterval', value: { startField: t.startField, endField: t.endField } } });
    case 'other':
      return create(DataTypeSchema, { kind: { case: 'unparsed', value: { dataTypeString: t.typeString } } });
    default: {
      const map: Record<AtomicTypeName, ProtoDataType['kind']['case']> = {
        null: 'null',
        binary: 'binary',
        boolean: 'boolean',
        byte: 'byte',
        short: 'short',
        integer: 'integer',
        long: 'long',
        float: 'float',
        double: 'double',
        string: 'string',
        date: 'date',
        timestamp: 'timestamp',
        timestamp_ntz: 'timestampNtz',
        calendar_interval: 'calendarInterval',
      };
      return create(DataTypeSchema, { kind: { case: map[t.kind], value: {} } as never });
    }
  }
}

/** Converts a Connect protobuf `DataType` (e.g. from AnalyzePlan.schema) into the TypeScript tree. */
export function fromProtoDataType(p: ProtoDataType): DataType {
  const k = p.kind;
  switch (k.case) {
    case 'null':
    case 'binary':
    case 'boolean':
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
    case 'string':
    case 'date':
    case 'timestamp':
      return atomic(k.case);
    case 'timestampNtz':
      return atomic('timestamp_ntz');
    case 'calendarInterval':
      return atomic('calendar_interval');
    case 'decimal':
      return DecimalType(k.value.precision ?? 10, k.value.scale ?? 0);
    case 'char':
      return { kind: 'char', length: k.value.length };
    case 'varChar':
      return { kind: 'varchar', length: k.value.length };
    case 'yearMonthInterval':
      return { kind: 'year_month_interval', startField: k.value.startField ?? 0, endField: k.value.endField ?? 1 };
    case 'dayTimeInterval':
      return { kind: 'day_time_interval', startField: k.value.startField ?? 0, endField: k.value.endField ?? 3 };
    case 'array':
      return ArrayType(k.value.elementType ? fromProtoDataType(k.value.elementType) : NullType(), k.value.containsNull);
    case 'map':
      return MapType(
        k.value.keyType ? fromProtoDataType(k.value.keyType) : NullType(),
        k.value.valueType ? fromProtoDataType(k.value.valueType) : NullType(),
        k.value.valueContainsNull,
      );
    case 'struct':
      return new StructType(
        k.value.fields.map((f) => ({
          name: f.name,
          dataType: f.dataType ? fromProtoDataType(f.dataType) : NullType(),
          nullable: f.nullable,
          metadata: f.metadata ? (JSON.parse(f.metadata) as Record<string, JsonValue>) : {},
        })),
      );
    case 'udt':
      return k.value.sqlType ? fromProtoDataType(k.value.sqlType) : { kind: 'other', typeString: k.value.type };
    case 'unparsed':
      return { kind: 'other', typeString: k.value.dataTypeString };
    default:
      return { kind: 'other', typeString: String(k.case ?? 'unknown') };
  }
}
