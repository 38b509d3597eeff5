/**
 * Everything the API refuses arrives as application/problem+json with a stable `code`; the
 * client turns it into one ApiError so callers switch on `code` and show `fieldErrors` next to
 * the inputs they name. A server that cannot be reached is an ApiError too (status 0).
 */

/** The codes the server sends today; any other string may arrive from a newer server. */
export type ProblemCode =
  | 'validation_failed'
  | 'malformed_json'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'rate_limited'
  | 'not_found'
  | 'internal_error'
  | 'username_taken'
  | 'email_taken'
  | 'invalid_credentials'
  | 'account_disabled'
  | 'unauthenticated'
  | 'invalid_token'
  | 'session_revoked'
  | 'invalid_refresh_token'
  | 'refresh_token_reused'
  | 'refresh_token_expired'
  | 'no_pilot'
  | 'not_adjacent'
  | 'one_way_warp'
  | 'already_here'
  | 'insufficient_turns'
  | 'no_route'
  | 'sector_unknown'
  | 'no_port'
  | 'good_not_sold_here'
  | 'good_not_bought_here'
  | 'exceeds_stock'
  | 'exceeds_demand'
  | 'insufficient_holds'
  | 'insufficient_cargo'
  | 'insufficient_credits'
  | 'invalid_quantity'
  | 'invalid_idempotency_key'
  | 'idempotency_key_reused'
  | 'idempotency_in_flight'
  | 'network_unreachable'
  | (string & {});

export interface FieldError {
  /** the input it is about, as the request named it: `username`, `quantity`, … */
  path: string;
  code: string;
  message: string;
}

interface ProblemBody {
  code?: unknown;
  title?: unknown;
  detail?: unknown;
  errors?: unknown;
  request_id?: unknown;
  [extra: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly title: string;
  readonly detail: string | undefined;
  readonly fieldErrors: FieldError[];
  readonly requestId: string | undefined;
  /** seconds, from Retry-After (rate limits, a request still in flight) */
  readonly retryAfter: number | undefined;
  /** anything else the problem carried, such as `available` and `needed` */
  readonly extra: Record<string, unknown>;

  constructor(
    status: number,
    code: ProblemCode,
    title: string,
    more: {
      detail?: string | undefined;
      fieldErrors?: FieldError[];
      requestId?: string | undefined;
      retryAfter?: number | undefined;
      extra?: Record<string, unknown>;
    } = {},
  ) {
    super(more.detail ? `${title}: ${more.detail}` : title);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = more.detail;
    this.fieldErrors = more.fieldErrors ?? [];
    this.requestId = more.requestId;
    this.retryAfter = more.retryAfter;
    this.extra = more.extra ?? {};
  }

  /** The first message about one input, for showing under it. */
  fieldMessage(path: string): string | undefined {
    return this.fieldErrors.find((e) => e.path === path)?.message;
  }

  /** Built from a response that was not 2xx: problem+json when the server sent one. */
  static async fromResponse(res: Response): Promise<ApiError> {
    const retryHeader = res.headers.get('retry-after');
    const retryAfter = retryHeader !== null && /^\d+$/.test(retryHeader) ? Number(retryHeader) : undefined;
    let body: ProblemBody | undefined;
    if (/json/.test(res.headers.get('content-type') ?? '')) {
      try {
        body = (await res.json()) as ProblemBody;
      } catch {
        body = undefined;
      }
    }
    if (!body || typeof body.code !== 'string') {
      return new ApiError(res.status, `http_${res.status}`, res.statusText || `HTTP ${res.status}`, { retryAfter });
    }
    const { type: _type, title, status: _status, code, detail, errors, request_id, ...extra } = body;
    return new ApiError(res.status, code, typeof title === 'string' ? title : code, {
      detail: typeof detail === 'string' ? detail : undefined,
      fieldErrors: Array.isArray(errors) ? errors.filter(isFieldError) : [],
      requestId: typeof request_id === 'string' ? request_id : undefined,
      retryAfter,
      extra,
    });
  }

  static unreachable(cause: unknown): ApiError {
    return new ApiError(0, 'network_unreachable', 'Cannot reach the server', { detail: cause instanceof Error ? cause.message : String(cause) });
  }
}

function isFieldError(value: unknown): value is FieldError {
  const e = value as FieldError;
  return typeof e === 'object' && e !== null && typeof e.path === 'string' && typeof e.message === 'string' && typeof e.code === 'string';
}

export function isAbort(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: string }).name === 'AbortError';
}
