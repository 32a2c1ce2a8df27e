/**
 * App-key checks for the visitor-side calls (a chat button on a website): `Authorization: LivePerson appKey=<key>`, or
 * `appKey=<key>` in the query, with one of the account's keys (`appKeys` in the scenario). Keys are never echoed.
 */
import * as crypto from 'node:crypto'
import type { Account } from '../domain/model.js'
import { digest } from '../domain/secrets.js'
import type { World } from '../domain/world.js'
import { AppKeyRefused } from './errors.js'
import type { Query } from './querystring.js'

const APP_KEY = /^liveperson +appkey=(\S+) *$/i
const HOW = "send 'Authorization: LivePerson appKey=<key>' or appKey=<key> in the query, with a key of the account (its appKeys in the scenario)"

/** Each account's keys as digests, computed once per list of keys (a changed account has a new list). */
const digests = new WeakMap<readonly string[], Buffer[]>()
const digestsOf = (keys: readonly string[]): Buffer[] => {
  let found = digests.get(keys)
  if (found === undefined) digests.set(keys, found = keys.map((key) => Buffer.from(digest(key))))
  return found
}

/** The account, if the request carries one of its app keys; else 401. */
export function checkAppKey (world: World, header: string | undefined, query: Query, accountId: string): Account {
  const given = query.appKey
  let key: string | undefined
  if (header !== undefined && header !== '') {
    const match = APP_KEY.exec(header)
    if (match === null && given === undefined) throw new AppKeyRefused(`malformed Authorization header; ${HOW}`)
    key = match?.[1]
  }
  if (key === undefined && given !== undefined) {
    if (given.length > 1) throw new AppKeyRefused(`parameter 'appKey' is given ${given.length} times; give it once`)
    key = given[0]
  }
  if (key === undefined) throw new AppKeyRefused(`missing app key; ${HOW}`)
  const account = world.account(accountId)
  const sent = Buffer.from(digest(key))
  // Every key of the account is compared, matching or not, each in constant time.
  let known = false
  for (const stored of account === undefined ? [] : digestsOf(account.appKeys)) known = crypto.timingSafeEqual(sent, stored) || known
  if (account === undefined || !known) throw new AppKeyRefused(`the app key is not one of account ${accountId}'s; ${HOW}`)
  return account
}
