-- SPDX-License-Identifier: MIT
-- luasocket.lua - the workloads on LuaSocket (Debian's lua5.4 + lua-socket),
-- written the usual LuaSocket way: receive(n), receive("*l"), send, and
-- socket.select for fan-in.  Same command line and output as the C
-- programs (see common.h):
--   lua5.4 luasocket.lua server|client WORKLOAD [key=value...]
-- socket.select uses select(2), so no descriptor may reach FD_SETSIZE
-- (1024): fan-in at 10,000 clients is not possible here (the harness
-- reports "na").
local socket = require("socket")

local role, workload = arg[1], arg[2]
local opt = {}
for i = 3, #arg do
  local k, v = arg[i]:match("^([%w_]+)=(.*)$")
  if k then opt[k] = tonumber(v) or v end
end

local MSG, CHUNK = 64, 65536

local function die(what, err)
  io.stderr:write("bench luasocket: ", what, ": ", tostring(err), "\n")
  os.exit(2)
end

local function status_kb(field)
  local f = io.open("/proc/self/status", "r")
  local v
  for line in f:lines() do
    v = line:match("^" .. field .. ":%s*(%d+)")
    if v then break end
  end
  f:close()
  return tonumber(v) or -1
end
local function rss() return status_kb("VmRSS") * 1024 end
local function hwm() return status_kb("VmHWM") * 1024 end

local function listen_here(backlog)
  local s = socket.tcp4()
  assert(s:setoption("reuseaddr", true))
  local ok, err = s:bind("127.0.0.1", 0)
  if not ok then die("bind", err) end
  ok, err = s:listen(backlog)
  if not ok then die("listen", err) end
  local _, port = s:getsockname()
  io.write("PORT ", port, "\n")
  io.stdout:flush()
  return s
end

local function connect_here()
  local c, err = socket.connect("127.0.0.1", opt.port)
  if not c then die("connect", err) end
  return c
end

local function accept_one(s)
  local c, err = s:accept()
  if not c then die("accept", err) end
  return c
end

local function ns(t0) return string.format("%.0f", (socket.gettime() - t0) * 1e9) end

local W = {}

-- ---- bulk ------------------------------------------------------------------
W.bulk = {
  server = function()
    local total, got = opt.bytes or 2^30, 0
    local l = listen_here(16)
    local c = accept_one(l)
    while got < total do
      local data, err = c:receive(math.min(CHUNK, total - got))
      if not data then die("receive", err) end
      got = got + #data
    end
    c:send("k")
    print(string.format("RESULT received=%d", got))
    c:close(); l:close()
  end,
  client = function()
    local total, sent = opt.bytes or 2^30, 0
    local chunk = string.rep("x", CHUNK)
    local c = connect_here()
    local t0 = socket.gettime()
    while sent < total do
      local ok, err = c:send(chunk, 1, math.min(CHUNK, total - sent))
      if not ok then die("send", err) end
      sent = sent + math.min(CHUNK, total - sent)
    end
    local ack, err = c:receive(1)
    if not ack then die("ack", err) end
    print(string.format("RESULT ns=%s bytes=%d", ns(t0), sent))
    c:close()
  end,
}

-- ---- sendfile: read the file in 64 KiB pieces and send them -------------
W.sendfile = {
  client = function()
    local f = assert(io.open(opt.file, "rb"))
    local c = connect_here()
    local t0, sent = socket.gettime(), 0
    while true do
      local d = f:read(CHUNK)
      if not d then break end
      local ok, err = c:send(d)
      if not ok then die("send", err) end
      sent = sent + #d
    end
    local ack, err = c:receive(1)
    if not ack then die("ack", err) end
    print(string.format("RESULT ns=%s bytes=%d", ns(t0), sent))
    c:close(); f:close()
  end,
}

-- ---- lines -----------------------------------------------------------------
W.lines = {
  server = function()
    local l = listen_here(16)
    local c = accept_one(l)
    local t0 = socket.gettime()
    local lines, bytes = 0, 0
    while true do
      local line, err = c:receive("*l")
      if not line then
        if err ~= "closed" then die("receive", err) end
        break
      end
      lines = lines + 1
      bytes = bytes + #line
    end
    print(string.format("RESULT ns=%s lines=%d bytes=%d", ns(t0), lines, bytes))
    c:close(); l:close()
  end,
}

-- ---- pingpong --------------------------------------------------------------
W.pingpong = {
  server = function()
    local l = listen_here(16)
    local c = accept_one(l)
    c:setoption("tcp-nodelay", true)
    while true do
      local m, err = c:receive(MSG)
      if not m then
        if err ~= "closed" then die("receive", err) end
        break
      end
      c:send(m)
    end
    print("RESULT served=1")
    c:close(); l:close()
  end,
  client = function()
    local n, lat_on = opt.n or 100000, (opt.lat or 1) ~= 0
    local out = string.rep("p", MSG)
    local c = connect_here()
    c:setoption("tcp-nodelay", true)
    local lat, nlat = {}, 0
    local gettime = socket.gettime
    local t0 = gettime()
    for i = 0, n - 1 do
      local s = (lat_on and i % 8 == 0) and gettime() or nil
      c:send(out)
      local m, err = c:receive(MSG)
      if not m then die("receive", err) end
      if s then nlat = nlat + 1; lat[nlat] = gettime() - s end
    end
    local line = string.format("RESULT ns=%s n=%d", ns(t0), n)
    if nlat > 0 then
      table.sort(lat)
      line = line .. string.format(" lat_p50_us=%.2f lat_p99_us=%.2f",
        lat[nlat // 2 + 1] * 1e6, lat[(nlat * 99) // 100 + 1] * 1e6)
    end
    print(line)
    c:close()
  end,
}

-- ---- connrate --------------------------------------------------------------
W.connrate = {
  server = function()
    local n = opt.n or 20000
    local l = listen_here(128)
    for _ = 1, n do accept_one(l):close() end
    print(string.format("RESULT accepted=%d", n))
    l:close()
  end,
  client = function()
    local n = opt.n or 20000
    local t0 = socket.gettime()
    for _ = 1, n do
      local c = connect_here()
      local b, err = c:receive(1)
      if b or err ~= "closed" then die("expected end of stream", err) end
      c:close()
    end
    print(string.format("RESULT ns=%s n=%d", ns(t0), n))
  end,
}

-- ---- fanin: socket.select over the server and every client --------------
W.fanin = {
  server = function()
    local clients, gone = opt.clients or 1000, 0
    local l = listen_here(4096)
    l:settimeout(0)
    local set, index = { l }, { [l] = 1 }
    while gone < clients do
      local readable, _, err = socket.select(set, nil)
      if not readable then die("select", err) end
      for _, c in ipairs(readable) do
        if c == l then
          while true do
            local nc = l:accept()
            if not nc then break end
            nc:settimeout(0)
            set[#set + 1] = nc
            index[nc] = #set
          end
        else
          local data, rerr, partial = c:receive(4096)
          local out = data or partial
          if out and #out > 0 then c:send(out) end
          if rerr == "closed" then
            local i, last = index[c], set[#set]
            set[i], index[last] = last, i
            set[#set], index[c] = nil, nil
            c:close()
            gone = gone + 1
          end
        end
      end
    end
    print(string.format("RESULT rss=%d hwm=%d", rss(), hwm()))
    l:close()
  end,
}

-- ---- idle: accept, read one line, keep the object --------------------------
W.idle = {
  server = function()
    local clients = opt.clients or 10000
    local l = listen_here(4096)
    local keep = {}
    collectgarbage("collect")
    local before, heap0 = rss(), collectgarbage("count")
    for i = 1, clients do
      local c = accept_one(l)
      local line, err = c:receive("*l")
      if not line then die("receive", err) end
      keep[i] = c
    end
    collectgarbage("collect")
    local after = rss()
    -- heap: what the Lua allocator holds (the socket objects are userdata)
    print(string.format("RESULT conns=%d rss_before=%d rss_after=%d bytes_per_conn=%.1f heap_per_conn=%.1f",
      clients, before, after, (after - before) / clients,
      (collectgarbage("count") - heap0) * 1024 / clients))
    io.stdout:flush()
    os.exit(0) -- closes every connection
  end,
}

-- ---- udp: 64-byte datagrams echoed (conn=1: the client has a peer) ------
local function udp_here()
  local s = assert(socket.udp())
  assert(s:setsockname("127.0.0.1", 0))
  local _, port = s:getsockname()
  print("PORT " .. port)
  io.stdout:flush()
  return s
end

W.udp = {
  server = function()
    local s, n = udp_here(), 0
    while true do
      local d, ip, port = s:receivefrom(2048)
      if not d then die("receivefrom", ip) end
      if #d == 0 then break end
      assert(s:sendto(d, ip, port))
      n = n + 1
    end
    print(string.format("RESULT served=%d", n))
  end,
  client = function()
    local n, conn, port = opt.n or 100000, (opt.conn or 1) == 1, opt.port
    local c = assert(socket.udp())
    local out = string.rep("u", 64)
    if conn then assert(c:setpeername("127.0.0.1", port)) end
    local t0 = socket.gettime()
    for _ = 1, n do
      local d, err
      if conn then
        assert(c:send(out))
        d, err = c:receive(2048)
      else
        assert(c:sendto(out, "127.0.0.1", port))
        d, err = c:receivefrom(2048)
      end
      if not d or #d ~= 64 then die("receive", err) end
    end
    print(string.format("RESULT ns=%s n=%d", ns(t0), n))
    if conn then c:send("") else c:sendto("", "127.0.0.1", port) end
  end,
}

-- ---- udpbulk: size-byte datagrams one way, an ack every win --------------
W.udpbulk = {
  server = function()
    local s, k, bytes, win = udp_here(), 0, 0, opt.win or 8
    while true do
      local d, ip, port = s:receivefrom(65536)
      if not d then die("receivefrom", ip) end
      if #d == 0 then break end
      bytes = bytes + #d
      k = k + 1
      if k == win then k = 0; assert(s:sendto("k", ip, port)) end
    end
    print(string.format("RESULT received=%d", bytes))
  end,
  client = function()
    local total, size, win = opt.bytes or (256 << 20), opt.size or 8192, opt.win or 8
    local c = assert(socket.udp())
    assert(c:setpeername("127.0.0.1", opt.port))
    local out, sent, k = string.rep("b", size), 0, 0
    local t0 = socket.gettime()
    while sent < total do
      assert(c:send(out))
      sent = sent + size
      k = k + 1
      if k == win then k = 0; assert(c:receive(1)) end
    end
    print(string.format("RESULT ns=%s bytes=%d", ns(t0), sent))
    c:send("")
  end,
}

local w = W[workload]
if not w or not w[role] then die("usage", "no " .. tostring(role) .. " side for " .. tostring(workload)) end
w[role]()
io.stdout:flush()
