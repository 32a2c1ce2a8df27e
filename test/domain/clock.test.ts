import t from 'tap'
import { CLOCK_MODES, EARLIEST, LATEST, SimulatedClock, withinRange } from '../../src/domain/clock.js'

/** A real-time source the test moves by hand. */
function fakeReal (start: number): { real: () => number, tick: (ms: number) => void, calls: () => number } {
  let now = start
  let calls = 0
  return { real: () => { calls++; return now }, tick: (ms) => { now += ms }, calls: () => calls }
}

const START = Date.UTC(2030, 0, 1)

t.test('the modes', async (t) => {
  t.strictSame([...CLOCK_MODES], ['realtime', 'frozen'])
})

t.test('realtime at speed 1 follows real time from its start', async (t) => {
  const time = fakeReal(1_000_000)
  const clock = new SimulatedClock(START, { mode: 'realtime', speed: 1 }, time.real)
  t.equal(clock.mode, 'realtime')
  t.equal(clock.speed, 1)
  t.equal(clock.now(), START)
  time.tick(1)
  t.equal(clock.now(), START + 1)
  time.tick(2499)
  t.equal(clock.now(), START + 2500)
  t.equal(clock.now(), START + 2500, 'no real time passed, none simulated')
})

t.test('the default is realtime at speed 1 from the real time', async (t) => {
  const time = fakeReal(1_700_000_000_000)
  const clock = new SimulatedClock(undefined, undefined, time.real)
  t.equal(clock.mode, 'realtime')
  t.equal(clock.speed, 1)
  t.equal(clock.now(), 1_700_000_000_000)
  time.tick(750)
  t.equal(clock.now(), 1_700_000_000_750)
})

t.test('realtime at speed 60 runs a simulated minute per real second', async (t) => {
  const time = fakeReal(5000)
  const clock = new SimulatedClock(START, { mode: 'realtime', speed: 60 }, time.real)
  t.equal(clock.speed, 60)
  time.tick(1000)
  t.equal(clock.now(), START + 60_000)
  time.tick(10)
  t.equal(clock.now(), START + 60_600)
})

t.test('realtime counts whole simulated milliseconds, rounding down', async (t) => {
  const time = fakeReal(0)
  const clock = new SimulatedClock(START, { mode: 'realtime', speed: 0.5 }, time.real)
  time.tick(1)
  t.equal(clock.now(), START, '0.5 ms is not yet 1')
  time.tick(1)
  t.equal(clock.now(), START + 1)
  time.tick(3)
  t.equal(clock.now(), START + 2, '2.5 → 2')
})

t.test('frozen stands still whatever real time does', async (t) => {
  const time = fakeReal(0)
  const clock = new SimulatedClock(START, { mode: 'frozen', speed: 1 }, time.real)
  t.equal(clock.mode, 'frozen')
  time.tick(3_600_000)
  t.equal(clock.now(), START)
})

t.test('frozenAt: a frozen clock at the given time, speed 1', async (t) => {
  const clock = SimulatedClock.frozenAt(START)
  t.equal(clock.mode, 'frozen')
  t.equal(clock.speed, 1)
  t.equal(clock.now(), START)
  t.equal(clock.now(), START)
  clock.advance(1500)
  t.equal(clock.now(), START + 1500)
  clock.set({ now: 42 })
  t.equal(clock.now(), 42)
  t.equal(clock.mode, 'frozen', 'setting the time alone keeps the mode')
})

t.test('changing the mode alone does not move the time', async (t) => {
  const time = fakeReal(0)
  const clock = new SimulatedClock(START, { mode: 'realtime', speed: 1 }, time.real)
  time.tick(1000)
  t.equal(clock.now(), START + 1000)
  clock.set({ mode: 'frozen' })
  t.equal(clock.mode, 'frozen')
  t.equal(clock.speed, 1, 'the speed is kept')
  t.equal(clock.now(), START + 1000, 'frozen where it was')
  time.tick(5000)
  t.equal(clock.now(), START + 1000, 'and stays there')
  clock.set({ mode: 'realtime' })
  t.equal(clock.now(), START + 1000, 'runs again from where it stood, not from where real time is')
  time.tick(250)
  t.equal(clock.now(), START + 1250)
})

t.test('changing the speed alone does not move the time; the new speed applies from then on', async (t) => {
  const time = fakeReal(0)
  const clock = new SimulatedClock(START, { mode: 'realtime', speed: 1 }, time.real)
  time.tick(1000)
  clock.set({ speed: 60 })
  t.equal(clock.mode, 'realtime')
  t.equal(clock.speed, 60)
  t.equal(clock.now(), START + 1000)
  time.tick(1000)
  t.equal(clock.now(), START + 61_000)
  clock.set({ speed: 1 })
  time.tick(1000)
  t.equal(clock.now(), START + 62_000, 'the 60× minute is kept, not recomputed at the new speed')
})

t.test('changing the speed while frozen takes effect when running again', async (t) => {
  const time = fakeReal(0)
  const clock = new SimulatedClock(START, { mode: 'frozen', speed: 1 }, time.real)
  clock.set({ speed: 10 })
  time.tick(1000)
  t.equal(clock.now(), START)
  t.equal(clock.speed, 10)
  clock.set({ mode: 'realtime' })
  time.tick(1000)
  t.equal(clock.now(), START + 10_000)
})

t.test('set with now, mode and speed at once', async (t) => {
  const time = fakeReal(0)
  const clock = new SimulatedClock(START, { mode: 'frozen', speed: 1 }, time.real)
  time.tick(777)
  clock.set({ mode: 'realtime', speed: 2, now: 1_000_000 })
  t.equal(clock.now(), 1_000_000)
  t.equal(clock.mode, 'realtime')
  t.equal(clock.speed, 2)
  time.tick(500)
  t.equal(clock.now(), 1_001_000)
  clock.set({ now: 5 })
  t.equal(clock.now(), 5, 'back in time too')
  time.tick(1)
  t.equal(clock.now(), 7)
  clock.set({ mode: 'frozen', now: 100 })
  time.tick(1000)
  t.equal(clock.now(), 100)
  t.equal(clock.speed, 2)
})

t.test('advance moves the time in either mode', async (t) => {
  const time = fakeReal(0)
  const clock = new SimulatedClock(START, { mode: 'realtime', speed: 1 }, time.real)
  time.tick(100)
  clock.advance(60_000)
  t.equal(clock.now(), START + 60_100)
  time.tick(100)
  t.equal(clock.now(), START + 60_200, 'and keeps running')
  clock.set({ mode: 'frozen' })
  clock.advance(3_600_000)
  t.equal(clock.now(), START + 3_660_200)
  time.tick(100)
  t.equal(clock.now(), START + 3_660_200, 'still frozen')
  clock.advance(-200)
  t.equal(clock.now(), START + 3_660_000, 'a negative advance goes back')
  clock.advance(0)
  t.equal(clock.now(), START + 3_660_000)
})

t.test('advance at speed 60 adds simulated, not real, milliseconds', async (t) => {
  const time = fakeReal(0)
  const clock = new SimulatedClock(START, { mode: 'realtime', speed: 60 }, time.real)
  clock.advance(1000)
  t.equal(clock.now(), START + 1000)
  time.tick(1000)
  t.equal(clock.now(), START + 61_000)
})

t.test('the constructor copies its setting', async (t) => {
  const time = fakeReal(0)
  const setting = { mode: 'realtime' as const, speed: 1 }
  const clock = new SimulatedClock(START, setting, time.real)
  setting.speed = 1000
  time.tick(1000)
  t.equal(clock.now(), START + 1000)
  t.equal(clock.speed, 1)
})

t.test('a frozen clock never asks for the real time to answer now()', async (t) => {
  const time = fakeReal(0)
  const clock = new SimulatedClock(START, { mode: 'frozen', speed: 1 }, time.real)
  const before = time.calls()
  clock.now()
  clock.now()
  t.equal(time.calls(), before)
})

t.test('the clock shows only years 0000 to 9999: a fast clock stops at the last instant, and is not set or advanced past it', async (t) => {
  t.equal(new Date(LATEST).toISOString(), '9999-12-31T23:59:59.999Z')
  t.equal(new Date(EARLIEST).toISOString(), '0000-01-01T00:00:00.000Z')
  const time = fakeReal(0)
  const clock = new SimulatedClock(LATEST - 10_000, { mode: 'realtime', speed: 1_000_000 }, time.real)
  time.tick(1)
  t.equal(clock.now(), LATEST, '1 ms at speed 10^6 is 1,000 s: stopped at the last instant')
  time.tick(10 ** 12)
  t.equal(clock.now(), LATEST, 'and stays there')
  t.throws(() => clock.advance(1), new RangeError(`the clock cannot show ${LATEST + 1}: it runs from 0000-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z`))
  t.throws(() => clock.set({ now: EARLIEST - 1 }), RangeError)
  t.equal(clock.now(), LATEST, 'unchanged')
  t.equal(withinRange(NaN), EARLIEST)
  t.equal(withinRange(8.64e15), LATEST)
  t.equal(withinRange(START), START)
})
