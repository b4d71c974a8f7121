// spark.udf: PySpark's UDFRegistration for functions that run on the JVM, the kind any Connect client
// can register: a class on the server's classpath, by name (a Python or Scala function's bytes are
// their own languages' matter). One RegisterFunction command each; the function lives in the session.
import { create } from '@bufbuild/protobuf';
import { CommandSchema } from '../gen/spark/connect/commands_pb.js';
import { type ActionOptions, actionSignal } from './arrow.js';
import type { SparkSession } from './session.js';
import { type DataType, toProtoDataType } from './types.js';

export class UDFRegistration {
  constructor(private readonly session: SparkSession) {}

  /**
   * Registers `javaClassName`, a class implementing one of Spark's `org.apache.spark.sql.api.java.UDF0`
   * … `UDF22` interfaces, as the SQL function `name` of this session (then callable in `expr()`,
   * `selectExpr()` and `sql()`). Without `returnType`, Spark infers the result type from the class's
   * declared one, which it can for simple types only (a struct needs it given).
   */
  async registerJavaFunction(name: string, javaClassName: string, returnType?: DataType, options: ActionOptions = {}): Promise<void> {
    await this.register(name, javaClassName, false, returnType, options);
  }

  /** Registers `javaClassName`, a `UserDefinedAggregateFunction` subclass, as the SQL aggregate function `name`. */
  async registerJavaUDAF(name: string, javaClassName: string, options: ActionOptions = {}): Promise<void> {
    await this.register(name, javaClassName, true, undefined, options);
  }

  private async register(name: string, className: string, aggregate: boolean, returnType: DataType | undefined, options: ActionOptions): Promise<void> {
    if (name.trim() === '') throw new TypeError('a function needs a name');
    if (className.trim() === '') throw new TypeError(`function ${name}: the Java class name is empty`);
    const command = create(CommandSchema, {
      commandType: {
        case: 'registerFunction',
        value: {
          functionName: name,
          deterministic: true,
          arguments: [],
          function: {
            case: 'javaUdf',
            value: { className, aggregate, ...(returnType !== undefined ? { outputType: toProtoDataType(returnType) } : {}) },
          },
        },
      },
    });
    const signal = actionSignal(options);
    await this.session.executeCommand(command, signal ? { signal } : {});
  }
}
