/**
 * A generated account of any size, shaped like a busy real one: 20 skills, agents with 1–3 skills, a mix of chat
 * states, most Online agents full and queues in proportion to the team, so that answers stay well below the cap
 * and the estimator really searches.
 */
import type { AgentDocument, ScenarioDocument, ScenarioInput, SkillDocument } from '../src/domain/scenario.js'

export const BENCH_ACCOUNT = '90000001'
export const BENCH_SESSION = 'benchSession'
export const BENCH_BEARER = 'b'.repeat(64)
const SKILLS = 20
const STATES = ['Online', 'Online', 'Online', 'Occupied', 'Away', 'Offline'] as const

export function generatedScenario (agents: number): ScenarioDocument {
  const skills: Record<string, SkillDocument> = {}
  for (let s = 0; s < SKILLS; s++) {
    skills[`Skill${s}`] = {
      id: s + 1,
      queued: Math.floor(agents / 40) + (s % 7),
      meanHandleTimeSec: 120 + 30 * s,
      ...(s % 2 === 0 ? { meanPatienceSec: 90 + 10 * s } : {})
    }
  }
  const agentDocs: Record<string, AgentDocument> = {}
  for (let a = 0; a < agents; a++) {
    const maxChats = 1 + (a % 5)
    agentDocs[`Agent${a}`] = {
      id: a + 1,
      nickname: `Agent ${a}`,
      chatState: STATES[a % STATES.length] as AgentDocument['chatState'],
      maxChats,
      activeChats: a % 25 === 0 ? maxChats - 1 : maxChats, // one agent in 25 has a free slot
      skills: [...new Set([`Skill${a % SKILLS}`, `Skill${(a * 7) % SKILLS}`, `Skill${(a * 13) % SKILLS}`])]
    }
  }
  return {
    description: `generated: ${agents} agents over ${SKILLS} skills`,
    accounts: { [BENCH_ACCOUNT]: { skills, agents: agentDocs, sessions: { [BENCH_SESSION]: { agent: 'Agent0', bearer: BENCH_BEARER } } } }
  }
}

const MAX_CHATS = 4

/** The pool of bench/simulation.ts as a live scenario: 1,000 agents with 4 slots over three skills, patience. */
export function liveScenario (agents: number, load: number): ScenarioInput {
  const skills = [
    { name: 'chat', meanHandleTimeSec: 240, meanPatienceSec: 120, handleTime: { distribution: 'exponential' as const } },
    { name: 'sales', meanHandleTimeSec: 300, meanPatienceSec: 90, handleTime: { distribution: 'lognormal' as const, cv: 1 } },
    { name: 'support', meanHandleTimeSec: 180, meanPatienceSec: 300, handleTime: { distribution: 'exponential' as const } }
  ]
  const share = (agents * MAX_CHATS) / skills.length
  return {
    description: 'bench',
    accounts: {
      [BENCH_ACCOUNT]: {
        skills: Object.fromEntries(skills.map(({ name, ...skill }) => [name, { ...skill, arrivalsPerHour: 3600 * load * share / skill.meanHandleTimeSec }])),
        agents: Object.fromEntries(Array.from({ length: agents }, (_, a) => {
          const own = skills[a % 3]?.name as string
          const second = skills[(a + 1) % 3]?.name as string
          return [`agent${a}`, { chatState: 'Online' as const, maxChats: MAX_CHATS, skills: a % 2 === 0 ? [own, second] : [own] }]
        })),
        sessions: { [BENCH_SESSION]: { agent: 'agent0', bearer: BENCH_BEARER } }
      }
    }
  }
}
