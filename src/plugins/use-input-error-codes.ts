import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors/codes.js';

/**
 * graphql-js reports a wrong argument or variable value (an unknown enum value, a string
 * where an Int goes, a missing required input field) without a code. Clients should be
 * able to tell "your input is wrong" from "your query is wrong", so those errors get
 * BAD_USER_INPUT; other validation errors keep GRAPHQL_VALIDATION_FAILED.
 */
const VALUE_ERROR = new RegExp(
  [
    '^Variable "\\$[^"]+" got invalid value',
    '^Variable "\\$[^"]+" of required type',
    '^Variable "\\$[^"]+" of non-null type',
    '^Expected value of type',
    '^Value ".*" does not exist in ".*" enum',
    '^Enum ".*" cannot represent',
    '^(Int|Float|String|Boolean|ID) cannot represent',
    '^Field ".*" of required type ".*" was not provided',
    '^Field ".*" is not defined by type',
    '^Argument ".*" of required type ".*" was not provided',
  ].join('|'),
);

function recode<E extends Error>(error: E): E | GraphQLError {
  if (!(error instanceof GraphQLError) || error.extensions?.code === ErrorCode.BAD_USER_INPUT || !VALUE_ERROR.test(error.message)) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes ?? null,
    source: error.source ?? null,
    positions: error.positions ?? null,
    path: error.path ?? null,
    originalError: error.originalError ?? null,
    extensions: { ...error.extensions, code: ErrorCode.BAD_USER_INPUT },
  });
}

export function useInputErrorCodes(): Plugin {
  return {
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length > 0) setResult(result.map(recode));
      };
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (!result || Symbol.asyncIterator in result || !result.errors?.length) return;
          setResult({ ...result, errors: result.errors.map((error) => recode(error) as GraphQLError) });
        },
      };
    },
  };
}
