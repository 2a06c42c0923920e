import { randomBytes } from 'node:crypto';
import { stringParam } from './slack-params.js';

/**
 * Workflow Builder custom steps, as Slack runs them for a Bolt app: a step's execution is announced with a
 * `function_executed` event (https://docs.slack.dev/reference/events/function_executed), carrying the inputs
 * and a token for that execution, and ends with one call to functions.completeSuccess or functions.completeError
 * (https://api.slack.com/methods/functions.completeSuccess). Slack checks the outputs against the function's
 * declared output parameters (`parameter_validation_failed`) and takes one completion per execution
 * (`execution_not_in_running_state` after it). Either the execution's token or the bot token may complete it;
 * the execution's token works for the bot's other methods only while the execution runs.
 */

/** A parameter as manifest.yml declares it under `functions.<callback_id>.input_parameters.properties`. */
export interface FunctionParameter {
  type: string;
  title?: string;
  description?: string;
  hint?: string;
}

export interface FunctionDefinition {
  title: string;
  description: string;
  input_parameters: { properties: Record<string, FunctionParameter>; required?: string[] };
  output_parameters: { properties: Record<string, FunctionParameter>; required?: string[] };
}

export type FunctionDefinitions = Record<string, FunctionDefinition>;

export type ExecutionState = 'running' | 'completed' | 'failed' | 'timed_out';

export interface SimExecution {
  id: string;
  callbackId: string;
  workflowExecutionId: string;
  inputs: Record<string, unknown>;
  token: string;
  state: ExecutionState;
  startedAt: number;
}

/** A completion call, accepted or refused; `by` says which token made it. */
export interface SimCompletion {
  executionId: string | undefined;
  method: 'functions.completeSuccess' | 'functions.completeError';
  outputs?: Record<string, unknown>;
  error?: string;
  by: 'bot' | 'function';
  at: number;
  /** Slack's error code when it refused the call. */
  refused?: string;
}

export interface SimFunctions {
  /**
   * Runs a step as a workflow would: checks the inputs against the manifest (Slack never runs a step with
   * a required input missing or of the wrong type) and returns the Events API callback to deliver.
   */
  execute(callbackId: string, inputs: Record<string, unknown>): { execution: SimExecution; callback: Record<string, unknown> };
  /** Ends an execution on Slack's side, as a workflow that timed out or was cancelled. */
  expire(executionId: string): void;
  execution(executionId: string): SimExecution | undefined;
  /** Every completion call, oldest first (also refused ones, with `refused`). */
  completions: SimCompletion[];
  /** The completions Slack took, oldest first. */
  accepted(): SimCompletion[];
}

type Answer = Record<string, unknown>;

const COMPLETION_METHODS = new Set(['functions.completeSuccess', 'functions.completeError']);

const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

/** Whether a value is of a Slack function parameter type, for the types the bot's steps declare. */
function hasType(type: string, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'slack#/types/user_id':
      return typeof value === 'string' && USER_ID.test(value);
    case 'slack#/types/channel_id':
      return typeof value === 'string' && CHANNEL_ID.test(value);
    case 'slack#/types/user_context':
      return typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'string' && USER_ID.test(value.id) && 'secret' in value;
    default:
      return false;
  }
}

/** What is wrong with a set of values against declared parameters: missing required ones, unknown names, wrong types. */
function parameterProblems(declared: FunctionDefinition['input_parameters'], values: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const name of declared.required ?? []) if (values[name] === undefined) problems.push(`missing required parameter: ${name}`);
  for (const [name, value] of Object.entries(values)) {
    const parameter = declared.properties[name];
    if (parameter === undefined) problems.push(`unknown parameter: ${name}`);
    else if (value !== undefined && !hasType(parameter.type, value)) problems.push(`${name} is not of type ${parameter.type}`);
  }
  return problems;
}

/** The definition as the event describes it: Slack's list form, with `is_required`. */
function parameterList(declared: FunctionDefinition['input_parameters']): Answer[] {
  return Object.entries(declared.properties).map(([name, p]) => ({
    type: p.type,
    name,
    ...(p.title === undefined ? {} : { title: p.title }),
    ...(p.description === undefined ? {} : { description: p.description }),
    is_required: (declared.required ?? []).includes(name),
  }));
}

function objectParam(params: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  let value = params[name];
  // @slack/web-api sends an object argument as a JSON string inside the form.
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : undefined;
}

export function createFunctionsSim(options: { definitions: FunctionDefinitions; teamId: string; appId: string; botToken: string }) {
  const executions = new Map<string, SimExecution>();
  const byToken = new Map<string, SimExecution>();
  const completions: SimCompletion[] = [];
  let counter = 0;

  const refuse = (completion: SimCompletion, error: string, messages?: string[]): Answer => {
    completion.refused = error;
    return { ok: false, error, ...(messages === undefined ? {} : { response_metadata: { messages } }) };
  };

  function complete(method: string, params: Record<string, unknown>, token: string | undefined): Answer {
    const executionId = stringParam(params, 'function_execution_id');
    const fromExecution = token === undefined ? undefined : byToken.get(token);
    const completion: SimCompletion = {
      executionId,
      method: method === 'functions.completeSuccess' ? 'functions.completeSuccess' : 'functions.completeError',
      by: fromExecution === undefined ? 'bot' : 'function',
      at: Date.now(),
    };
    completions.push(completion);
    if (token !== options.botToken && fromExecution === undefined) return refuse(completion, 'invalid_auth');
    if (executionId === undefined || executionId === '') return refuse(completion, 'invalid_arguments', ['[ERROR] missing required field: function_execution_id']);
    const execution = executions.get(executionId);
    // An execution's token speaks for that execution alone.
    if (execution === undefined || (fromExecution !== undefined && fromExecution !== execution)) return refuse(completion, 'function_execution_not_found');
    if (completion.method === 'functions.completeError') {
      const error = stringParam(params, 'error');
      if (error === undefined || error === '') return refuse(completion, 'invalid_arguments', ['[ERROR] missing required field: error']);
      completion.error = error;
    } else {
      const outputs = objectParam(params, 'outputs');
      if (outputs === undefined) return refuse(completion, 'invalid_arguments', ['[ERROR] missing required field: outputs']);
      completion.outputs = outputs;
      const definition = options.definitions[execution.callbackId];
      const problems = definition === undefined ? ['unknown function'] : parameterProblems(definition.output_parameters, outputs);
      if (problems.length > 0) return refuse(completion, 'parameter_validation_failed', problems.map((p) => `[ERROR] ${p}`));
    }
    if (execution.state !== 'running') return refuse(completion, 'execution_not_in_running_state');
    execution.state = completion.method === 'functions.completeSuccess' ? 'completed' : 'failed';
    return { ok: true };
  }

  const sim: SimFunctions = {
    execute(callbackId, inputs) {
      const definition = options.definitions[callbackId];
      if (definition === undefined) throw new Error(`slack sim: the manifest declares no function ${callbackId}`);
      const problems = parameterProblems(definition.input_parameters, inputs);
      if (problems.length > 0) throw new Error(`slack sim: Slack would not run ${callbackId} with these inputs: ${problems.join('; ')}`);
      counter += 1;
      const id = `Fx${String(counter).padStart(4, '0')}${randomBytes(4).toString('hex').toUpperCase()}`;
      const execution: SimExecution = {
        id,
        callbackId,
        workflowExecutionId: `Wx${randomBytes(5).toString('hex').toUpperCase()}`,
        inputs,
        token: `xwfp-${randomBytes(12).toString('hex')}`,
        state: 'running',
        startedAt: Date.now(),
      };
      executions.set(id, execution);
      byToken.set(execution.token, execution);
      const now = Date.now() / 1000;
      const event = {
        type: 'function_executed',
        function: {
          id: `Fn${callbackId.length}${randomBytes(4).toString('hex').toUpperCase()}`,
          callback_id: callbackId,
          title: definition.title,
          description: definition.description,
          type: 'app',
          input_parameters: parameterList(definition.input_parameters),
          output_parameters: parameterList(definition.output_parameters),
          app_id: options.appId,
          date_created: Math.floor(now) - 86_400,
          date_updated: Math.floor(now) - 3_600,
          date_deleted: 0,
        },
        inputs,
        function_execution_id: id,
        workflow_execution_id: execution.workflowExecutionId,
        event_ts: now.toFixed(6),
        bot_access_token: execution.token,
      };
      const callback = {
        token: 'legacy-verification-token',
        team_id: options.teamId,
        api_app_id: options.appId,
        event,
        type: 'event_callback',
        event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
        event_time: Math.floor(now),
        authorizations: [{ enterprise_id: null, team_id: options.teamId, user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
        is_ext_shared_channel: false,
      };
      return { execution, callback };
    },
    expire(executionId) {
      const execution = executions.get(executionId);
      if (execution !== undefined && execution.state === 'running') execution.state = 'timed_out';
    },
    execution: (executionId) => executions.get(executionId),
    completions,
    accepted: () => completions.filter((c) => c.refused === undefined),
  };

  return {
    sim,
    /** functions.completeSuccess and functions.completeError, which check their own token. */
    handles: (method: string) => COMPLETION_METHODS.has(method),
    complete,
    /** An execution's token stands for the bot while that execution runs. */
    isRunningToken: (token: string | undefined) => token !== undefined && byToken.get(token)?.state === 'running',
  };
}
