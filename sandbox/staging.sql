-- The sandbox's staging database: casetracker's people and their cases. Every person is made up,
-- but the columns look like the real thing, so dbdump's rules have work to do.
CREATE TABLE people (
    id            integer PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    full_name     text NOT NULL,
    phone         text,
    date_of_birth date,
    address       text,
    created_at    timestamptz NOT NULL
);
INSERT INTO people
SELECT g,
       lower(n.first) || '.' || lower(n.last) || g || '@example-mail.com',
       n.first || ' ' || n.last,
       '+1 202 555 ' || lpad((g * 7919 % 10000)::text, 4, '0'),
       date '1950-01-01' + (g * 37 % 20000),
       (g * 7 % 900 + 100) || ' ' || n.street || ' Street, Springfield',
       timestamptz '2024-01-01 00:00:00+00' + g * interval '7 hours'
FROM generate_series(1, 2000) AS g,
LATERAL (SELECT (ARRAY['Ada','Grace','Alan','Edsger','Barbara','Ken','Dennis','Margaret','Linus','Radia'])[1 + g % 10] AS first,
                (ARRAY['Lovelace','Hopper','Turing','Dijkstra','Liskov','Thompson','Ritchie','Hamilton','Torvalds','Perlman'])[1 + (g / 10) % 10] AS last,
                (ARRAY['Oak','Maple','Cedar','Elm','Pine'])[1 + g % 5] AS street) AS n;

CREATE TABLE cases (
    id        integer PRIMARY KEY,
    person_id integer NOT NULL REFERENCES people,
    title     text NOT NULL,
    status    text NOT NULL,
    opened    date NOT NULL
);
INSERT INTO cases
SELECT g, 1 + g * 13 % 2000,
       (ARRAY['Permit renewal','Address change','Benefit claim','Records request'])[1 + g % 4],
       (ARRAY['open','closed','waiting'])[1 + g % 3],
       date '2025-01-01' + g % 600
FROM generate_series(1, 5000) AS g;
