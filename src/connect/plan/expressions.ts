/**
 * Pure builders of Spark Connect `Expression` messages: one function per `Expression.expr_type` variant
 * that the client fills (attribute, function call, alias, cast, sort order, window, lambda, …). No
 * session, no I/O: (input, args) → proto message, so plans are testable with `toJson` and no server.
 *
 * @see proto/spark/connect/expressions.proto message Expression
 */
import { create } from "@bufbuild/protobuf";
import {
  type Expression,
  Expression_Cast_EvalMode,
  type Expression_SortOrder,
  Expression_SortOrder_NullOrdering,
  Expression_SortOrder_SortDirection,
  Expression_SortOrderSchema,
  type Expression_UnresolvedNamedLambdaVariable,
  Expression_UnresolvedNamedLambdaVariableSchema,
  type Expression_Window_WindowFrame_FrameBoundary,
  Expression_Window_WindowFrame_FrameBoundarySchema,
  Expression_Window_WindowFrame_FrameType,
  ExpressionSchema,
} from "../gen/spark/connect/expressions_pb.ts";
import type { DataType } from "../gen/spark/connect/types_pb.ts";

export type { Expression } from "../gen/spark/connect/expressions_pb.ts";

/** A column reference resolved by name on the server (`UnresolvedAttribute`). */
export function unresolvedAttribute(
  unparsedIdentifier: string,
  options: { planId?: bigint; isMetadataColumn?: boolean } = {},
): Expression {
  return create(ExpressionSchema, {
    exprType: {
      case: "unresolvedAttribute",
      value: {
        unparsedIdentifier,
        ...(options.planId === undefined ? {} : { planId: options.planId }),
        ...(options.isMetadataColumn === undefined ? {} : { isMetadataColumn: options.isMetadataColumn }),
      },
    },
  });
}

/** `*` or `target.*` (`UnresolvedStar`); `unparsedTarget` must end with `.*` when given. */
export function unresolvedStar(unparsedTarget?: string, planId?: bigint): Expression {
  if (unparsedTarget !== undefined && !unparsedTarget.endsWith(".*")) {
    throw new Error(`star target must end with ".*", got ${JSON.stringify(unparsedTarget)}`);
  }
  return create(ExpressionSchema, {
    exprType: {
      case: "unresolvedStar",
      value: {
        ...(unparsedTarget === undefined ? {} : { unparsedTarget }),
        ...(planId === undefined ? {} : { planId }),
      },
    },
  });
}

/** Columns whose names match a Java regex (`UnresolvedRegex`), as in ``SELECT `(id)?+.+` FROM t``. */
export function unresolvedRegex(colName: string, planId?: bigint): Expression {
  return create(ExpressionSchema, {
    exprType: { case: "unresolvedRegex", value: { colName, ...(planId === undefined ? {} : { planId }) } },
  });
}

/** A call of a built-in (or session-registered) function by name (`UnresolvedFunction`). */
export function unresolvedFunction(
  functionName: string,
  args: readonly Expression[],
  options: { isDistinct?: boolean; isInternal?: boolean } = {},
): Expression {
  return create(ExpressionSchema, {
    exprType: {
      case: "unresolvedFunction",
      value: {
        functionName,
        arguments: [...args],
        isDistinct: options.isDistinct ?? false,
        ...(options.isInternal === undefined ? {} : { isInternal: options.isInternal }),
      },
    },
  });
}

/** A call of a function by a possibly qualified, catalog-resolved name (`CallFunction`), e.g. a SQL UDF. */
export function callFunction(functionName: string, args: readonly Expression[]): Expression {
  return create(ExpressionSchema, {
    exprType: { case: "callFunction", value: { functionName, arguments: [...args] } },
  });
}

/** `key => value` for functions that take named arguments (`NamedArgumentExpression`). */
export function namedArgument(key: string, value: Expression): Expression {
  return create(ExpressionSchema, { exprType: { case: "namedArgumentExpression", value: { key, value } } });
}

/** A SQL expression fragment parsed by the server (`ExpressionString`), as `F.expr("a + 1")`. */
export function expressionString(expression: string): Expression {
  return create(ExpressionSchema, { exprType: { case: "expressionString", value: { expression } } });
}

/** `expr AS name` (several names for multi-output expressions such as `posexplode`). */
export function alias(expr: Expression, names: readonly string[], metadata?: string): Expression {
  if (names.length === 0) throw new Error("alias needs at least one name");
  return create(ExpressionSchema, {
    exprType: {
      case: "alias",
      value: { expr, name: [...names], ...(metadata === undefined ? {} : { metadata }) },
    },
  });
}

/** How a cast treats invalid input: `ansi` raises, `try` yields null, `legacy` follows the old rules. */
export type CastEvalMode = "unspecified" | "legacy" | "ansi" | "try";

const EVAL_MODES: Record<CastEvalMode, Expression_Cast_EvalMode> = {
  unspecified: Expression_Cast_EvalMode.UNSPECIFIED,
  legacy: Expression_Cast_EvalMode.LEGACY,
  ansi: Expression_Cast_EvalMode.ANSI,
  try: Expression_Cast_EvalMode.TRY,
};

/** `CAST(expr AS type)`: a DDL type string (parsed by the server) or a proto DataType. */
export function cast(expr: Expression, to: string | DataType, evalMode: CastEvalMode = "unspecified"): Expression {
  return create(ExpressionSchema, {
    exprType: {
      case: "cast",
      value: {
        expr,
        castToType: typeof to === "string" ? { case: "typeStr", value: to } : { case: "type", value: to },
        evalMode: EVAL_MODES[evalMode],
      },
    },
  });
}

export type SortDirection = "ascending" | "descending";
export type NullOrdering = "nullsFirst" | "nullsLast";

/** One sort key. The null ordering is always explicit, as Spark's default differs by direction. */
export function sortOrder(child: Expression, direction: SortDirection, nullOrdering: NullOrdering): Expression {
  return create(ExpressionSchema, {
    exprType: { case: "sortOrder", value: sortOrderMessage(child, direction, nullOrdering) },
  });
}

export function sortOrderMessage(
  child: Expression,
  direction: SortDirection,
  nullOrdering: NullOrdering,
): Expression_SortOrder {
  return create(Expression_SortOrderSchema, {
    child,
    direction:
      direction === "ascending"
        ? Expression_SortOrder_SortDirection.ASCENDING
        : Expression_SortOrder_SortDirection.DESCENDING,
    nullOrdering:
      nullOrdering === "nullsFirst"
        ? Expression_SortOrder_NullOrdering.SORT_NULLS_FIRST
        : Expression_SortOrder_NullOrdering.SORT_NULLS_LAST,
  });
}

/**
 * Wraps an expression as a sort order: an existing `SortOrder` is kept as is, anything else sorts
 * ascending with nulls first (Spark's default for ascending order).
 */
export function asSortOrder(expr: Expression): Expression_SortOrder {
  if (expr.exprType.case === "sortOrder") return expr.exprType.value;
  return sortOrderMessage(expr, "ascending", "nullsFirst");
}

/** A window frame boundary: `currentRow`, `unbounded` (preceding for the lower, following for the upper), or an offset. */
export type FrameBoundary = { kind: "currentRow" } | { kind: "unbounded" } | { kind: "value"; value: Expression };

export interface WindowFrame {
  type: "rows" | "range";
  lower: FrameBoundary;
  upper: FrameBoundary;
}

function frameBoundary(boundary: FrameBoundary): Expression_Window_WindowFrame_FrameBoundary {
  switch (boundary.kind) {
    case "currentRow":
      return create(Expression_Window_WindowFrame_FrameBoundarySchema, {
        boundary: { case: "currentRow", value: true },
      });
    case "unbounded":
      return create(Expression_Window_WindowFrame_FrameBoundarySchema, {
        boundary: { case: "unbounded", value: true },
      });
    case "value":
      return create(Expression_Window_WindowFrame_FrameBoundarySchema, {
        boundary: { case: "value", value: boundary.value },
      });
  }
}

/** `fn OVER (PARTITION BY … ORDER BY … frame)` (`Expression.Window`). */
export function window(
  windowFunction: Expression,
  partitionSpec: readonly Expression[],
  orderSpec: readonly Expression[],
  frame?: WindowFrame,
): Expression {
  return create(ExpressionSchema, {
    exprType: {
      case: "window",
      value: {
        windowFunction,
        partitionSpec: [...partitionSpec],
        orderSpec: orderSpec.map(asSortOrder),
        ...(frame === undefined
          ? {}
          : {
              frameSpec: {
                frameType:
                  frame.type === "rows"
                    ? Expression_Window_WindowFrame_FrameType.ROW
                    : Expression_Window_WindowFrame_FrameType.RANGE,
                lower: frameBoundary(frame.lower),
                upper: frameBoundary(frame.upper),
              },
            }),
      },
    },
  });
}

/** A reference to a lambda parameter inside a lambda body (`UnresolvedNamedLambdaVariable`). */
export function lambdaVariable(name: string): Expression {
  return create(ExpressionSchema, {
    exprType: { case: "unresolvedNamedLambdaVariable", value: { nameParts: [name] } },
  });
}

/** `(x, y) -> body` for higher-order functions (`LambdaFunction`); 1 to 3 parameters. */
export function lambdaFunction(body: Expression, parameterNames: readonly string[]): Expression {
  if (parameterNames.length < 1 || parameterNames.length > 3) {
    throw new Error(`a lambda takes 1 to 3 parameters, got ${parameterNames.length}`);
  }
  const args: Expression_UnresolvedNamedLambdaVariable[] = parameterNames.map((name) =>
    create(Expression_UnresolvedNamedLambdaVariableSchema, { nameParts: [name] }),
  );
  return create(ExpressionSchema, { exprType: { case: "lambdaFunction", value: { function: body, arguments: args } } });
}

/** `child[extraction]`: struct field, array index or map key, resolved by the server (`UnresolvedExtractValue`). */
export function unresolvedExtractValue(child: Expression, extraction: Expression): Expression {
  return create(ExpressionSchema, { exprType: { case: "unresolvedExtractValue", value: { child, extraction } } });
}

/** Adds or replaces a struct field (value given) or drops it (value absent) (`UpdateFields`). */
export function updateFields(
  structExpression: Expression,
  fieldName: string,
  valueExpression?: Expression,
): Expression {
  return create(ExpressionSchema, {
    exprType: {
      case: "updateFields",
      value: { structExpression, fieldName, ...(valueExpression === undefined ? {} : { valueExpression }) },
    },
  });
}
