-- wrk script of bench/run-scale.sh: every request presents the next key of a file, so the server's cache holds
-- as many keys as the file has. Arguments (after --):
--   me KEYS_FILE                   GET /v1/me with Authorization: Bearer <key>
--   introspect KEYS_FILE AUTH_FILE POST /oauth2/introspect token=<key>, the client's Authorization header
--                                  value read from AUTH_FILE; an answer without "active":true is counted
-- The keys and the client credential are read from files, never passed on a command line. done() prints
-- "inactive answers: N" (introspection answers that were not active; 0 otherwise).
local threads = {}
local count = 0

function setup(thread)
    thread:set("index", count)
    count = count + 1
    table.insert(threads, thread)
end

function init(args)
    mode = args[1]
    keys = {}
    for line in io.lines(args[2]) do
        if #line > 0 then
            keys[#keys + 1] = line
        end
    end
    n = #keys
    if n == 0 then
        error("no keys in " .. args[2])
    end
    inactive = 0
    if mode == "introspect" then
        local file = assert(io.open(args[3]))
        client = file:read("*l")
        file:close()
        -- Only introspection's answers are read: wrk collects bodies only when a script asks for them.
        response = function(status, headers, body)
            if status == 200 and not string.find(body, '"active":true', 1, true) then
                inactive = inactive + 1
            end
        end
    elseif mode ~= "me" then
        error("mode is me or introspect, not " .. tostring(mode))
    end
    -- The threads start half the file apart, so they do not present the same key at the same moment.
    i = (index * math.floor(n / 2)) % n
end

function request()
    i = i + 1
    if i > n then
        i = 1
    end
    if mode == "me" then
        return wrk.format("GET", "/v1/me", { ["Authorization"] = "Bearer " .. keys[i] })
    end
    return wrk.format("POST", "/oauth2/introspect",
        { ["Authorization"] = client, ["Content-Type"] = "application/x-www-form-urlencoded" }, "token=" .. keys[i])
end

function done(summary, latency, requests)
    local total = 0
    for _, thread in ipairs(threads) do
        total = total + (thread:get("inactive") or 0)
    end
    io.write(string.format("inactive answers: %d\n", total))
end
