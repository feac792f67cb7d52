// The classroom endpoints (definitions/class.ts) over the ClassroomPort, for `hashline classroom`.
import { CLASS_MAX_MEMBERS } from '../../classroom/types.js';
import { networkIdProblem } from '../../core/network-id.js';
import { ClassViewBuilder } from '../class-view.js';
import type { ApiContext, ClassControlChange, ClassroomPort } from '../context.js';
import { classroom as defs } from '../definitions/class.js';
import { ApiError, badRequest } from '../errors.js';
import type { RouteDef } from '../route-table.js';
import { CLASS_MAX_INTERVAL_SECONDS } from '../schemas/index.js';
import { bind } from './bind.js';

/** Libp2p peer ids as their string form spells them (base58btc or a CID in base32). */
const PEER_ID_PATTERN = /^[1-9A-HJ-NP-Za-km-z]{32,64}$|^b[a-z2-7]{40,120}$/;

const notAClassroom = () =>
  new ApiError(
    404,
    'not-a-classroom',
    'this node teaches no class: start one with `hashline classroom` (see README, "Classroom")',
  );

/** The control, checked: each broken rule is a 400 that names it, and nothing is changed. */
export function checkControl(
  body: ClassControlChange,
  currentNetworkId: string | undefined,
): ClassControlChange {
  const { mining, intervalSeconds, mode, groups, reset } = body;
  if (mining === undefined && intervalSeconds === undefined && mode === undefined && !groups && !reset)
    throw badRequest('say what to change: mining, intervalSeconds, mode, groups or reset', 'empty-control');
  if (
    intervalSeconds !== undefined &&
    (!Number.isInteger(intervalSeconds) ||
      intervalSeconds < 0 ||
      intervalSeconds > CLASS_MAX_INTERVAL_SECONDS)
  )
    throw badRequest(
      `intervalSeconds must be a whole number of seconds from 0 to ${CLASS_MAX_INTERVAL_SECONDS}`,
      'bad-interval',
    );
  if (groups) {
    const ids = Object.keys(groups);
    if (ids.length > CLASS_MAX_MEMBERS)
      throw badRequest(`groups names at most ${CLASS_MAX_MEMBERS} peers (a class's size)`, 'too-many-groups');
    const bad = ids.find((id) => !PEER_ID_PATTERN.test(id));
    if (bad !== undefined) throw badRequest(`groups: "${bad.slice(0, 70)}" is not a peer id`, 'bad-peer-id');
  }
  if (reset !== undefined) {
    const problem = networkIdProblem(reset);
    if (problem) throw badRequest(`reset: ${problem}`, 'bad-network-id');
    if (reset === currentNetworkId)
      throw badRequest(`reset: the class is on ${reset} already; name a new network id`, 'same-network');
  }
  return body;
}

export function classRoutes(ctx: Pick<ApiContext, 'chain' | 'explorer' | 'classroom'>): RouteDef[] {
  const port = (): ClassroomPort => {
    const classroom = ctx.classroom?.();
    if (!classroom) throw notAClassroom();
    return classroom;
  };
  const views = new ClassViewBuilder(ctx.chain, ctx.explorer);
  // One view at a time: the blocks-found count is kept up to date in place.
  let building: Promise<unknown> = Promise.resolve();
  let qr = { url: '', svg: '' };
  // The QR encoder is loaded by the first class view: a node that is no classroom never needs it.
  const qrOf = async (url: string) => {
    if (qr.url !== url) {
      const { default: encodeQR } = await import('qr');
      qr = { url, svg: encodeQR(url, 'svg', { ecc: 'low' }) };
    }
    return qr.svg;
  };
  return [
    bind(defs.getClass, async () => {
      const classroom = port();
      const state = classroom.state();
      const roster = classroom.roster();
      const view = building.then(async () => ({
        members: await views.members(roster, state),
        tree: await views.tree(roster),
      }));
      building = view.catch(() => undefined);
      const { members, tree } = await view;
      const joinUrl = classroom.joinUrl();
      return {
        network: state.network,
        networkId: ctx.chain.params.id ?? '',
        joinUrl,
        joinQrSvg: await qrOf(joinUrl),
        teacherKey: classroom.teacherKey,
        state: { ...state, groups: { ...state.groups } },
        members,
        tree,
      };
    }),
    bind(defs.controlClass, async (req) => {
      const classroom = port();
      return classroom.control(checkControl(req.body, ctx.chain.params.id));
    }),
  ];
}
