import { describe, expect, it } from 'vitest';
import {
  ArrayType,
  DecimalType,
  DoubleType,
  IntegerType,
  LongType,
  MapType,
  StringType,
  StructType,
  TimestampType,
  fromProtoDataType,
  toProtoDataType,
} from './types.js';

const address = new StructType().add('street', StringType()).add('number', IntegerType(), false);
const user = new StructType()
  .add('id', StringType(), false)
  .add('latitude', DoubleType())
  .add('registered_date', TimestampType())
  .add('address', address)
  .add('tags', ArrayType(StringType()))
  .add('scores', MapType(StringType(), LongType(), false))
  .add('price', DecimalType(10, 2));

describe('StructType', () => {
  it('is immutable: add returns a new type', () => {
    const a = new StructType();
    const b = a.add('x', IntegerType());
    expect(a.fields).toHaveLength(0);
    expect(b.fieldNames()).toEqual(['x']);
  });

  it('renders DDL like StructType.toDDL', () => {
    expect(user.toDDL()).toBe(
      '`id` STRING NOT NULL,`latitude` DOUBLE,`registered_date` TIMESTAMP,' +
        '`address` STRUCT<`street`: STRING, `number`: INT NOT NULL>,`tags` ARRAY<STRING>,' +
        '`scores` MAP<STRING, BIGINT>,`price` DECIMAL(10,2)',
    );
  });

  it('quotes identifiers with back-quotes doubled', () => {
    expect(new StructType().add('we`ird', IntegerType()).toDDL()).toBe('`we``ird` INT');
  });

  it("renders Spark's JSON schema form", () => {
    const j = JSON.parse(user.json());
    expect(j.type).toBe('struct');
    expect(j.fields[0]).toEqual({ name: 'id', type: 'string', nullable: false, metadata: {} });
    expect(j.fields[2].type).toBe('timestamp');
    expect(j.fields[3].type).toEqual({
      type: 'struct',
      fields: [
        { name: 'street', type: 'string', nullable: true, metadata: {} },
        { name: 'number', type: 'integer', nullable: false, metadata: {} },
      ],
    });
    expect(j.fields[4].type).toEqual({ type: 'array', elementType: 'string', containsNull: true });
    expect(j.fields[5].type).toEqual({ type: 'map', keyType: 'string', valueType: 'long', valueContainsNull: false });
    expect(j.fields[6].type).toBe('decimal(10,2)');
  });

  it('simpleString and treeString', () => {
    expect(address.simpleString()).toBe('struct<street:string,number:int>');
    expect(address.treeString()).toBe('root\n |-- street: string (nullable = true)\n |-- number: integer (nullable = false)\n');
  });

  it('round-trips through the protobuf DataType', () => {
    const p = toProtoDataType(user);
    expect(p.kind.case).toBe('struct');
    if (p.kind.case !== 'struct') return;
    expect(p.kind.value.fields[0]?.name).toBe('id');
    expect(p.kind.value.fields[0]?.nullable).toBe(false);
    expect(p.kind.value.fields[0]?.dataType?.kind.case).toBe('string');
    const back = fromProtoDataType(p);
    expect(back).toBeInstanceOf(StructType);
    expect((back as StructType).toDDL()).toBe(user.toDDL());
  });
});

describe('NullType', () => {
  it('is named void, as Spark and PySpark name it (JSON, simpleString, printSchema)', async () => {
    const { NullType, StructType, ArrayType } = await import('./types.js');
    const s = new StructType().add('n', NullType()).add('a', ArrayType(NullType()));
    expect(s.simpleString()).toBe('struct<n:void,a:array<void>>');
    expect(s.json()).toBe(
      '{"type":"struct","fields":[{"name":"n","type":"void","nullable":true,"metadata":{}},{"name":"a","type":{"type":"array","elementType":"void","containsNull":true},"nullable":true,"metadata":{}}]}',
    );
    expect(s.toDDL()).toBe('`n` VOID,`a` ARRAY<VOID>');
  });
});
