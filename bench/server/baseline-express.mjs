// The baseline: a token server as people write it from Agora's samples and blog posts. Express,
// express.json(), agora-token, a no-cache header, and no caller authentication, no rate limit,
// no lifetime cap. Run as its own process: `node baseline-express.mjs <port>`.
import express from 'express'
import agoraToken from 'agora-token'

const { RtcTokenBuilder, RtcRole } = agoraToken
const APP_ID = process.env.APP_ID
const APP_CERTIFICATE = process.env.APP_CERTIFICATE

const app = express()
app.use(express.json())

const nocache = (_req, res, next) => {
  res.header('Cache-Control', 'private, no-cache, no-store, must-revalidate')
  res.header('Expires', '-1')
  res.header('Pragma', 'no-cache')
  next()
}

app.post('/token', nocache, (req, res) => {
  const { channelName, uid, role, expiresIn } = req.body
  if (!channelName) return res.status(400).json({ error: 'channelName is required' })
  const rtcRole = role === 'publisher' ? RtcRole.PUBLISHER : RtcRole.SUBSCRIBER
  const expire = expiresIn || 3600
  const token = RtcTokenBuilder.buildTokenWithUid(
    APP_ID,
    APP_CERTIFICATE,
    channelName,
    uid || 0,
    rtcRole,
    expire,
    expire,
  )
  return res.json({ token })
})

app.listen(Number(process.argv[2]), '127.0.0.1', () => {
  console.log('listening')
})
