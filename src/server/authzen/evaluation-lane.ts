import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { evaluationSchema } from '../../decide/request.js';
import type { DecisionService } from '../../decide/service.js';
import { hasScope, verifiedPeerCertificate, type TokenVerifier } from '../auth/authenticate.js';
import { errorBody, toApiError } from '../errors.js';
import { requestId } from '../options.js';
import { answerText, explainOf } from './answer.js';
import { asRequest, decideOptionsOf, isJsonType } from './input.js';
import { AUTHZEN_PATHS } from './openapi.js';

export const EVALUATION_PATH = AUTHZEN_PATHS.evaluation;

export interface LaneOptions {
  readonly verifier: TokenVerifier;
  /** The security headers every answer of the server carries (security.ts). */
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyLimit: number;
  readonly log: FastifyBaseLogger;
  /** Fastify's own JSON body parser: prototype poisoning is refused as on every route. */
  readonly parseJson: (text: string) => unknown;
  /** True once the server is closing; Fastify then answers new requests with 503. */
  readonly closing: () => boolean;
}

const JSON_UTF8 = 'application/json; charset=utf-8';

/**
 * The evaluation endpoint's lane in front of Fastify's router. A PEP calls it for every access
 * it enforces, so its answer should cost little more than the decision; Fastify's request and
 * reply objects, hooks and per-request logger cost as much again as the decision itself.
 *
 * The lane takes a request only when its headers show everything Fastify would check before
 * the body: `POST /access/v1/evaluation`, a JSON body of known length within the limit, no
 * browser origin (CORS stays Fastify's), and a bearer token this process verified within the
 * token cache's lifetime, with the `decide` scope, whose last use needs no write now. Anything
 * else goes, unread, to Fastify, which answers it as before (401, 403, 413, 415, a revoked or
 * expired cache entry checked against the store); a server with CORS origins configured
 * does not open the lane at all (server.ts). What the lane answers is what the route
 * answers: the same headers, the same decision JSON (answer.ts), the same error bodies (400
 * for a body that is not JSON or not a request, logged at warn with the request id).
 */
export class EvaluationLane {
  readonly #options: LaneOptions;
  #service: DecisionService | undefined;
  #taken = 0;
  readonly #parse = (text: string) =>
    asRequest(evaluationSchema, this.#options.parseJson(text), 'evaluation');

  constructor(options: LaneOptions) {
    this.#options = options;
  }

  /** Opens the lane with the server's decision point. */
  serve(service: DecisionService): void {
    this.#service = service;
  }

  stop(): void {
    this.#service = undefined;
  }

  /** Requests the lane has answered; the other evaluation calls went to Fastify's route. */
  get taken(): number {
    return this.#taken;
  }

  /** True when the lane answers the request; false leaves it, unread, to Fastify. */
  take(req: IncomingMessage, res: ServerResponse): boolean {
    const service = this.#service;
    if (!service || req.method !== 'POST' || req.url !== EVALUATION_PATH) return false;
    const h = req.headers;
    const o = this.#options;
    if (h.origin !== undefined || h['transfer-encoding'] !== undefined || o.closing()) {
      return false;
    }
    const length = Number(h['content-length']);
    if (!(length >= 0 && length <= o.bodyLimit) || !isJsonType(h['content-type'])) return false;
    const principal = o.verifier.cachedPrincipal(h.authorization);
    if (!principal || !hasScope(principal, 'decide')) return false;
    const id = requestId(req);
    this.#taken += 1;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const text = chunks.length === 1 ? chunks[0]!.toString('utf8')
        : Buffer.concat(chunks).toString('utf8');
      this.#decide(service, req, res, id, text).catch((err: unknown) => this.#fail(res, id, err));
    });
    return true;
  }

  async #decide(service: DecisionService, req: IncomingMessage, res: ServerResponse,
    id: string, text: string): Promise<void> {
    const cert = verifiedPeerCertificate(req.socket);
    const { decision, request } = await service.decideText(text, this.#parse,
      decideOptionsOf(cert));
    const answer = answerText(decision, explainOf(request));
    this.#send(res, id, 200, answer.text, answer.bytes);
  }

  #fail(res: ServerResponse, id: string, err: unknown): void {
    const e = toApiError(err);
    if (e.statusCode >= 500) this.#options.log.error({ reqId: id, err }, 'request failed');
    else this.#options.log.warn({ reqId: id, code: e.code, status: e.statusCode }, e.message);
    if (res.headersSent) return void res.destroy();
    const body = JSON.stringify(errorBody(e, id));
    this.#send(res, id, e.statusCode, body, Buffer.byteLength(body));
  }

  #send(res: ServerResponse, id: string, status: number, body: string, bytes: number): void {
    const headers: Record<string, string | number> = { ...this.#options.headers,
      'x-request-id': id, 'content-type': JSON_UTF8, 'content-length': bytes };
    // As Fastify does once close() is called: the client does not keep the connection open.
    if (this.#options.closing()) headers['connection'] = 'close';
    res.writeHead(status, headers);
    res.end(body);
  }
}
