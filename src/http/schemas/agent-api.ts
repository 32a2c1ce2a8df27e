/**
 * The resources of the simulated API family around availableSlots — the account, login, agent session, availability,
 * info, available agents, and the visitor-side answers — each as JSON (`{root: content}`) and as XML (the root
 * element's content). Shapes follow the vendor's examples (numbers the vendor writes as strings stay strings).
 */
import { Type, type Static, type TSchema } from 'typebox'
import { CHAT_STATES } from '../../domain/model.js'
import { MAX_SLOTS } from '../../domain/estimator.js'

/** The XML form of a resource: the content of its root element. */
const xmlOf = (id: string, root: string, content: TSchema, description: string) =>
  Type.Unsafe({ $id: id, allOf: [content], description, xml: { name: root } })

export const Link = Type.Object({
  '@href': Type.String({ description: 'An absolute URL on the host the request was sent to.' }),
  '@rel': Type.String()
}, { $id: 'Link', additionalProperties: false })

/** One link is an object, several an array (the XML mapping). */
const links = Type.Union([Link, Type.Array(Link, { minItems: 2 })])

export const Slots = Type.Integer({ $id: 'Slots', minimum: -1, maximum: MAX_SLOTS, description: `Available slots; -1 when unlimited; capped at ${MAX_SLOTS}.` })
export const AvailableSlots = Type.Object({ availableSlots: Slots }, { $id: 'AvailableSlots', additionalProperties: false })
export const AvailableSlotsXml = xmlOf('AvailableSlotsXml', 'availableSlots', Slots, 'The root element itself: `<availableSlots>1</availableSlots>`.')

const AccountContent = Type.Object({
  '@id': Type.String(),
  link: links
}, { $id: 'AccountContent', additionalProperties: false, description: 'Links: self, login, agentSession, chat-availability, chat-available-slots, chat-estimatedWaitTime.' })
export const AccountResource = Type.Object({ account: AccountContent }, { $id: 'AccountResource', additionalProperties: false })
export const AccountResourceXml = xmlOf('AccountResourceXml', 'account', AccountContent, '`<account id="…"><link href="…" rel="login"/>…</account>`.')

export const Credentials = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 200, description: 'The agent\'s login name.' }),
  password: Type.String({ minLength: 1, maxLength: 200 })
}, { $id: 'Credentials', additionalProperties: true, description: 'Other fields (an application login\'s appKey, secret …) are ignored.' })

export const Csrf = Type.Object({
  csrf: Type.String({ minLength: 1, maxLength: 200, description: 'The csrf of the login\'s answer.' })
}, { $id: 'Csrf', additionalProperties: true })

export const LoginContent = Type.Object({
  csrf: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  wsuk: Type.String(),
  config: Type.Object({
    loginName: Type.String(),
    userId: Type.String(),
    userPrivileges: Type.Optional(Type.Array(Type.Integer(), { description: 'None: the simulator grants no privileges (so XML, where an empty list has no element, leaves it out).' })),
    serverCurrentTime: Type.Integer({ description: 'The simulator\'s clock, epoch milliseconds.' }),
    timeDiff: Type.Integer(),
    serverTimeZoneName: Type.String(),
    serverTimeGMTDiff: Type.Integer(),
    isLPA: Type.Boolean(),
    isAdmin: Type.Boolean(),
    accountTimeZoneId: Type.String()
  }, { additionalProperties: false }),
  csdsCollectionResponse: Type.Object({
    baseURIs: Type.Array(Type.Object({ account: Type.String(), baseURI: Type.String(), service: Type.String() }, { additionalProperties: false }))
  }, { additionalProperties: false, description: 'Where each service is: this simulator (agentVep and conversationVep), as the request\'s host.' }),
  accountData: Type.Object({
    agentGroupsData: Type.Object({
      items: Type.Array(Type.Object({ id: Type.Integer(), deleted: Type.Boolean(), name: Type.String() }, { additionalProperties: false })),
      revision: Type.Integer()
    }, { additionalProperties: false })
  }, { additionalProperties: false }),
  sessionTTl: Type.String({ pattern: '^[0-9]+$', description: 'Milliseconds the bearer is valid for, on the simulator\'s clock (the vendor\'s spelling and type).' }),
  bearer: Type.String({ pattern: '^[0-9a-f]{64}$' })
}, { $id: 'LoginContent', additionalProperties: false, description: 'The vendor\'s login answer: JSON without a root; its XML form is `<login>…</login>`.' })
export const LoginXml = xmlOf('LoginXml', 'login', LoginContent, 'The login answer as XML: `<login><csrf>…</csrf>…<bearer>…</bearer></login>`.')

export const SessionRequest = Type.Object({
  loginData: Type.Optional(Type.Unknown({ description: 'Kept by the vendor for backwards compatibility; any value (clients send "" or an object).' }))
}, { $id: 'AgentSessionRequest', additionalProperties: true, description: '`{"loginData": ""}`; as XML `<loginData></loginData>`.' })

const LocationContent = Type.Object({ link: Link }, { $id: 'AgentSessionLocationContent', additionalProperties: false })
export const AgentSessionLocation = Type.Object({ agentSessionLocation: LocationContent }, { $id: 'AgentSessionLocation', additionalProperties: false })
export const AgentSessionLocationXml = xmlOf('AgentSessionLocationXml', 'agentSessionLocation', LocationContent, '`<agentSessionLocation><link href="…" rel="location"/></agentSessionLocation>`.')

const SessionContent = Type.Object({
  '@id': Type.String(),
  link: links
}, { $id: 'AgentSessionContent', additionalProperties: false, description: 'Links: self, info, availability, available-agents, chat-available-slots.' })
export const AgentSessionResource = Type.Object({ agentSession: SessionContent }, { $id: 'AgentSessionResource', additionalProperties: false })
export const AgentSessionResourceXml = xmlOf('AgentSessionResourceXml', 'agentSession', SessionContent, '`<agentSession id="…"><link href="…" rel="self"/>…</agentSession>`.')

const ChatState = Type.Enum(CHAT_STATES, { $id: 'ChatState' })
const AvailabilityContent = Type.Object({
  chat: ChatState,
  voice: Type.Literal('Offline', { description: 'The simulator has no voice channel.' })
}, { $id: 'AvailabilityContent', additionalProperties: false })
export const Availability = Type.Object({ availability: AvailabilityContent }, { $id: 'Availability', additionalProperties: false })
export const AvailabilityXml = xmlOf('AvailabilityXml', 'availability', AvailabilityContent, '`<availability><chat>Online</chat><voice>Offline</voice></availability>`.')

export const AvailabilityChange = Type.Object({
  availability: Type.Object({
    chat: ChatState,
    voice: Type.Optional(Type.String({ maxLength: 100, description: 'Ignored.' })),
    chatReasonId: Type.Optional(Type.String({ maxLength: 100, description: 'Ignored.' }))
  }, { additionalProperties: false })
}, { $id: 'AvailabilityChange', additionalProperties: false, description: '`{"availability": {"chat": "Away"}}`; as XML `<availability><chat>Away</chat></availability>`.' })

const SkillInfo = Type.Object({ id: Type.String(), name: Type.String() }, { additionalProperties: false })
const InfoContent = Type.Object({
  link: Link,
  agentName: Type.String({ description: 'The nickname.' }),
  displayName: Type.String({ description: 'The nickname.' }),
  loginName: Type.String(),
  id: Type.String(),
  maxChats: Type.String({ description: '-1 when unlimited.' }),
  availability: AvailabilityContent,
  skillsInfo: Type.Object({ skillInfo: Type.Union([SkillInfo, Type.Array(SkillInfo, { minItems: 2 })]) }, { additionalProperties: false })
}, { $id: 'AgentInfoContent', additionalProperties: false })
export const AgentInfo = Type.Object({ info: InfoContent }, { $id: 'AgentInfo', additionalProperties: false })
export const AgentInfoXml = xmlOf('AgentInfoXml', 'info', InfoContent, '`<info><link …/><agentName>…</agentName>…</info>`.')

/** The vendor's numeric chat states. */
export const CHAT_STATE_CODES = { Offline: '1', Online: '2', Occupied: '3', Away: '4' } as const

const AgentEntry = Type.Object({
  '@id': Type.String(),
  '@chatState': Type.Enum(Object.values(CHAT_STATE_CODES), { description: '1 Offline, 2 Online, 3 Occupied, 4 Away.' }),
  '@maxChats': Type.String({ description: '-1 when unlimited.' }),
  '@voiceState': Type.Literal('1'),
  chats: Type.String({ description: 'The chats it has now.' }),
  nickname: Type.String(),
  skills: Type.Object({ skill: Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 2 })], { description: 'Skill ids.' }) }, { additionalProperties: false }),
  userName: Type.String()
}, { additionalProperties: false })
const AvailableAgentsContent = Type.Object({
  agents: Type.Optional(Type.Object({ agent: Type.Union([AgentEntry, Type.Array(AgentEntry, { minItems: 2 })]) }, { additionalProperties: false })),
  link: Link
}, { $id: 'AvailableAgentsContent', additionalProperties: false, description: '`agents` is absent when no agent matches.' })
export const AvailableAgents = Type.Object({ availableAgents: AvailableAgentsContent }, { $id: 'AvailableAgents', additionalProperties: false })
export const AvailableAgentsXml = xmlOf('AvailableAgentsXml', 'availableAgents', AvailableAgentsContent, '`<availableAgents><agents><agent id="…" chatState="2" …>…</agent></agents><link …/></availableAgents>`.')

export const VisitorAvailability = Type.Object({ availability: Type.Boolean() }, { $id: 'VisitorAvailability', additionalProperties: false })
export const VisitorAvailabilityXml = xmlOf('VisitorAvailabilityXml', 'availability', Type.Boolean(), '`<availability>true</availability>`.')

const WaitSeconds = Type.Integer({ minimum: -2, description: 'Seconds; 0 a slot is free now, -1 nobody eligible is Online, -2 cannot be estimated.' })
export const EstimatedWaitTime = Type.Object({ estimatedWaitTime: WaitSeconds }, { $id: 'EstimatedWaitTime', additionalProperties: false })
export const EstimatedWaitTimeXml = xmlOf('EstimatedWaitTimeXml', 'estimatedWaitTime', WaitSeconds, '`<estimatedWaitTime>0</estimatedWaitTime>`.')

export type LoginView = Static<typeof LoginContent>
export type AgentSessionLocationView = Static<typeof AgentSessionLocation>
