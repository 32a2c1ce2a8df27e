// The simulator's Docker image in a node:test suite, with Testcontainers (npm install -D testcontainers).
// Podman instead of Docker: set DOCKER_HOST=unix://<podman's API socket> and TESTCONTAINERS_RYUK_DISABLED=true.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { GenericContainer, Wait } from 'testcontainers'

const TOKEN = '313d06c0208c8ab418ba1b28ba0432d40fec06e385ac8780446a5eafacba23b0' // sessJohn, default scenario

let container
let baseUrl

before(async () => {
  container = await new GenericContainer(process.env.SIMULATOR_IMAGE ?? 'chat-capacity-simulator')
    .withExposedPorts(8080) // published on a free host port: ask getMappedPort(8080)
    .withEnvironment({ SCENARIO: 'default' })
    .withWaitStrategy(Wait.forHttp('/__admin/health', 8080).forStatusCode(200))
    .start()
  baseUrl = `http://${container.getHost()}:${container.getMappedPort(8080)}`
})

after(async () => {
  await container?.stop() // stops and removes it
})

test('skill Sales has 2 available slots', async () => {
  const res = await fetch(`${baseUrl}/api/account/12345678/agentSession/sessJohn/chat/availableSlots?v=1&skill=Sales`, {
    headers: { Authorization: `Bearer ${TOKEN}` }
  })
  assert.equal(res.status, 200)
  assert.equal(await res.text(), '{"availableSlots":2}')
})
