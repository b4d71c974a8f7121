// Registers the record function (jars/spark-extensions, dev.streamline.record.RecordFunction) in a
// Spark session as `streamline_record`, with the struct it returns: the job's plan calls it by name, so
// every session that builds and runs the plan registers it first (submit, explain, tests, benchmarks).
import { RECORD_FUNCTION, RECORD_RESULT_FIELDS } from '@streamline/record';
import { DoubleType, StringType, StructType, TimestampType, type DataType, type SparkSession } from 'spark-connect';
import { SparkExtensionsMissingError } from './job/errors.js';

const SPARK_TYPES: Readonly<Record<string, () => DataType>> = { STRING: StringType, DOUBLE: DoubleType, TIMESTAMP: TimestampType };

/** The struct `streamline_record` returns: `reason`, then the record's fields, typed. */
export function recordResultType(): StructType {
  return RECORD_RESULT_FIELDS.reduce((struct, [name, type]) => {
    const spark = SPARK_TYPES[type];
    if (spark === undefined) throw new Error(`record field ${name}: no Spark type for ${type}`);
    return struct.add(name, spark());
  }, new StructType());
}

/** What Spark says when the class is not on its classpath. */
const CLASS_NOT_LOADED = /can ?not load class|ClassNotFoundException|CANNOT_LOAD_CLASS/i;

export async function registerRecordFunction(spark: SparkSession): Promise<void> {
  try {
    await spark.udf.registerJavaFunction(RECORD_FUNCTION.name, RECORD_FUNCTION.className, recordResultType());
  } catch (error) {
    const message = (error as Error).message;
    if (!CLASS_NOT_LOADED.test(message)) throw error;
    throw new SparkExtensionsMissingError(
      `the Spark cluster cannot load ${RECORD_FUNCTION.className} (${message.split('\n')[0]}): its classpath needs streamline's jar of Spark extensions (jars/spark-extensions; the image and \`make jars\` add it)`,
      { cause: error },
    );
  }
}
