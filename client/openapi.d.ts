/* The SectorWars API contract, generated from the server's OpenAPI document by client/generate.ts. Do not edit: run `npm run client:generate`. */

export interface paths {
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in with username and password */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description Credentials */
            requestBody: {
                content: {
                    "application/json": components["schemas"]["LoginRequest"];
                };
            };
            responses: {
                /** @description Signed in */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AuthResponse"];
                    };
                };
                /** @description Not authenticated */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Invalid input */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limited (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the current session (bearer token, or refresh token in body or cookie) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description The refresh token, when no bearer token is sent */
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["RefreshRequest"];
                };
            };
            responses: {
                /** @description Signed out */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Not authenticated */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Invalid input */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in account */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The account */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["User"];
                    };
                };
                /** @description Not authenticated */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange a refresh token (body or cookie) for a new token pair
         * @description The presented refresh token stops working. Within a short overlap after its exchange (REFRESH_REUSE_GRACE_SECONDS, 10 s by default: two tabs refreshing at once) it gets the same new refresh token again; presented later, it revokes every token of its session.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description The refresh token, unless sent as the cookie */
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["RefreshRequest"];
                };
            };
            responses: {
                /** @description A new token pair */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AuthResponse"];
                    };
                };
                /** @description Not authenticated */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Invalid input */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create an account and sign in */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description The new account */
            requestBody: {
                content: {
                    "application/json": components["schemas"]["RegisterRequest"];
                };
            };
            responses: {
                /** @description Registered and signed in */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AuthResponse"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Invalid input */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limited (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your events after an id: personal, your current sector, your region, global
         * @description For clients that missed realtime messages. Page with `next_after` until `events` comes back empty.
         */
        get: {
            parameters: {
                query?: {
                    after?: number | null;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Events, oldest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["EventPage"];
                    };
                };
                /** @description Not authenticated */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Invalid input */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/nav/autopilot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Fly the plotted course hop by hop until arrival or a stop
         * @description Stops early (`stopped_by`) when turns run out. Each hop is reported.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: a replay returns the first response and changes nothing */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["AutopilotRequest"];
                };
            };
            responses: {
                /** @description Where the autopilot got to */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AutopilotResult"];
                    };
                };
                /** @description Not authenticated */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Invalid input */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/nav/plot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Shortest course through the sectors you know, with its turn cost
         * @description Errors: `no_route` (404) when known space does not connect you to the target.
         */
        get: {
            parameters: {
                query: {
                    to: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The course */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Course"];
                    };
                };
                /** @description Not authenticated */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Invalid input */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/player/map": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The sectors you know and their warps, for the map */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Known space */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["KnownMap"];
                    };
                };
                /** @description Not authenticated */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/player/move": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Fly one warp hop (costs the hull's turns per warp)
         * @description Errors: `not_adjacent`, `one_way_warp` (422); `insufficient_turns` (409).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: a replay returns the first response and changes nothing */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["MoveRequest"];
                };
            };
            responses: {
                /** @description Arrived */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MoveResult"];
                    };
                };
                /** @description Not authenticated */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Invalid input */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/player/state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your pilot and ship (creates the pilot on the first call after registering) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Pilot and ship */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PlayerState"];
                    };
                };
                /** @description Not authenticated */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rankings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Leaderboard by net worth (credits + hull value + cargo at base prices) or experience
         * @description Read from the latest snapshot of the rankings job (refreshed every 15 minutes); computed live while no snapshot exists yet.
         */
        get: {
            parameters: {
                query?: {
                    by?: "networth" | "experience";
                    page?: number;
                    per_page?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description One page of the leaderboard */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Rankings"];
                    };
                };
                /** @description Not authenticated */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Invalid input */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/realtime/ticket": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A one-time ticket to open the realtime WebSocket
         * @description Connect to `url` within `expires_in` seconds; the ticket works once. Fetch a new one for every connection attempt. The WebSocket protocol (frames, resume, chat, close codes) is described in realtime/PROTOCOL.md. Errors: `rate_limited` (429), `realtime_unavailable` (503) while the bus is down.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The ticket */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RealtimeTicket"];
                    };
                };
                /** @description Not authenticated */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limited (see Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Error */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sectors/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A sector: live where you are, as last seen where you have been; unknown sectors are 404 */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The sector */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SectorLookup"];
                    };
                };
                /** @description Not authenticated */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Invalid input */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trade/buy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Buy from this sector's port
         * @description Costs 1 turn. Errors: `no_port`, `good_not_sold_here`, `good_not_bought_here`, `exceeds_stock`, `exceeds_demand`, `insufficient_holds`, `insufficient_cargo`, `insufficient_credits`, `insufficient_turns` (409); invalid input (422). A refused trade changes nothing.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: a replay returns the first response and changes nothing */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["TradeRequest"];
                };
            };
            responses: {
                /** @description The trade */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TradeResult"];
                    };
                };
                /** @description Not authenticated */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Invalid input */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trade/quote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Price a trade at this sector's port without making it
         * @description Errors: `no_port`, `good_not_sold_here`, `good_not_bought_here`, `exceeds_stock`, `exceeds_demand`, `insufficient_holds`, `insufficient_cargo`, `insufficient_credits`, `insufficient_turns` (409); invalid input (422). A refused trade changes nothing.
         */
        get: {
            parameters: {
                query: {
                    good: components["schemas"]["Commodity"];
                    quantity: number;
                    /** @description Your side: buy from the port or sell to it */
                    side: "buy" | "sell";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description What the trade would cost or pay */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TradeQuote"];
                    };
                };
                /** @description Not authenticated */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Invalid input */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trade/sell": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sell to this sector's port
         * @description Costs 1 turn. Errors: `no_port`, `good_not_sold_here`, `good_not_bought_here`, `exceeds_stock`, `exceeds_demand`, `insufficient_holds`, `insufficient_cargo`, `insufficient_credits`, `insufficient_turns` (409); invalid input (422). A refused trade changes nothing.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: a replay returns the first response and changes nothing */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["TradeRequest"];
                };
            };
            responses: {
                /** @description The trade */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TradeResult"];
                    };
                };
                /** @description Not authenticated */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Invalid input */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AuthResponse: {
            /** @description JWT, sent as `Authorization: Bearer …` */
            access_token: string;
            /** @description Seconds until the access token expires */
            expires_in: number;
            /** @description Opaque, single use: exchange it at /refresh. Browsers also get it as an httpOnly cookie. */
            refresh_token: string;
            /** @enum {string} */
            token_type: "Bearer";
            user: components["schemas"]["User"];
        };
        AutopilotRequest: {
            to: number;
        };
        AutopilotResult: {
            arrived: boolean;
            course: components["schemas"]["Course"];
            hops: components["schemas"]["Hop"][];
            player: components["schemas"]["Player"];
            /** @enum {string|null} */
            stopped_by: "insufficient_turns" | null;
        };
        Cargo: {
            colonists: number;
            equipment: number;
            ore: number;
            organics: number;
        };
        /** @enum {string} */
        Commodity: "ore" | "organics" | "equipment" | "colonists";
        Course: {
            from: number;
            hops: number;
            path: number[];
            to: number;
            turns: number;
        };
        Event: {
            at: string;
            data: {
                [key: string]: unknown;
            };
            /** @description Outbox id: increasing; use it to resume and to drop duplicates */
            id: number;
            topic: string;
            type: string;
        };
        EventPage: {
            events: components["schemas"]["Event"][];
            next_after: number;
        };
        Hop: {
            experience_gained: number;
            first_visit: boolean;
            from: number;
            to: number;
            turns_left: number;
            turns_spent: number;
        };
        KnownMap: {
            current_sector_id: number;
            sectors: {
                fedspace: boolean;
                id: number;
                last_seen_at: string;
                port_class: number | null;
                region_id: number;
                x: number;
                y: number;
                zone: string;
            }[];
            /** @description Directed warps out of known sectors (targets may be unexplored) */
            warps: {
                from: number;
                to: number;
            }[];
        };
        LoginRequest: {
            password: string;
            username: string;
        };
        MoveRequest: {
            /** @description An adjacent sector */
            to: number;
        };
        MoveResult: {
            hop: components["schemas"]["Hop"];
            player: components["schemas"]["Player"];
            sector: components["schemas"]["Sector"];
        };
        Player: {
            alignment: number;
            credits: number;
            experience: number;
            max_turns: number;
            name: string;
            /** @description Until the next turn regenerates; null when the pool is full */
            next_turn_in_ms: number | null;
            rank: {
                level: number;
                title: string;
            };
            region_id: number;
            sector_id: number;
            turns: number;
        };
        PlayerState: {
            player: components["schemas"]["Player"];
            ship: components["schemas"]["Ship"];
        };
        Port: {
            class: number;
            /** @description B/S for ore, organics, equipment from the port's side */
            class_code: string;
            class_name: string;
            goods: components["schemas"]["PortGood"][];
            id: number;
            name: string;
        } | null;
        PortGood: {
            capacity: number;
            good: components["schemas"]["Commodity"];
            /**
             * @description `sells`: you can buy it here; `buys`: you can sell it here
             * @enum {string}
             */
            port_action: "sells" | "buys";
            stock: number;
            tradable: number;
            /** @description Price of the next unit; a batch is priced unit by unit along the curve */
            unit_price: number;
        };
        Problem: {
            /** @description Stable machine-readable reason; switch on this */
            code: string;
            detail?: string;
            /** @description One entry per invalid field (validation failures) */
            errors?: {
                code: string;
                message: string;
                path: string;
            }[];
            request_id?: string;
            status: number;
            title: string;
            type: string;
        };
        RankingEntry: {
            experience: number;
            name: string;
            net_worth: number;
            position: number;
            rank: string;
        };
        Rankings: {
            /**
             * Format: date-time
             * @description When these standings were taken: the snapshot’s time, or now while none exists
             */
            as_of: string;
            by: string;
            entries: components["schemas"]["RankingEntry"][];
            page: number;
            per_page: number;
            total: number;
        };
        RealtimeTicket: {
            /** @example 30 */
            expires_in: number;
            /** @description Random, single use; valid for `expires_in` seconds */
            ticket: string;
            /**
             * @description Where to connect, ticket included: a ws(s):// URL, or a path to resolve against this API’s origin (ws: for http:, wss: for https:)
             * @example /ws?ticket=Jc3tq0…
             */
            url: string;
        };
        RefreshRequest: {
            refresh_token?: string;
        };
        RegisterRequest: {
            /** Format: email */
            email: string;
            /** @example correct horse battery */
            password: string;
            /** @example han_solo */
            username: string;
        };
        Sector: {
            coordinates: {
                x: number;
                y: number;
            };
            defenses: {
                fighters: number;
                mines: number;
                owners: string[];
            };
            fedspace: boolean;
            id: number;
            name: string | null;
            planets: {
                claimable: boolean;
                id: number;
                name: string;
                owned: boolean;
                type: string;
            }[];
            players: {
                hull: string;
                name: string;
            }[];
            port: components["schemas"]["Port"];
            region: {
                id: number;
                name: string;
            };
            warps: {
                gate: boolean;
                one_way: boolean;
                to: number;
            }[];
            /** @enum {string} */
            zone: "federation" | "border" | "frontier";
        };
        SectorLookup: components["schemas"]["Sector"] & {
            last_seen_at: string | null;
            /** @description true: you are here and this is now; false: what you saw on your last visit */
            live: boolean;
        };
        Ship: {
            cargo: components["schemas"]["Cargo"];
            fighters: number;
            holds: number;
            holds_free: number;
            hull: string;
            hull_name: string;
            id: number;
            max_fighters: number;
            max_shields: number;
            shields: number;
            turns_per_warp: number;
        };
        TradeQuote: {
            average_unit_price: number;
            /** @description The error code the trade would get: insufficient_credits, insufficient_holds, … */
            blocked_by: string | null;
            /** @description Whether you could make this trade right now */
            can_execute: boolean;
            good: components["schemas"]["Commodity"];
            port_id: number;
            port_stock_after: number;
            quantity: number;
            /** @enum {string} */
            side: "buy" | "sell";
            /** @description Credits paid (buy) or received (sell) */
            total: number;
            turns: number;
        };
        TradeRequest: {
            good: components["schemas"]["Commodity"];
            quantity: number;
        };
        TradeResult: {
            player: components["schemas"]["Player"];
            ship: components["schemas"]["Ship"];
            trade: {
                average_unit_price: number;
                credits_after: number;
                experience_gained: number;
                good: components["schemas"]["Commodity"];
                port_id: number;
                port_stock_after: number;
                quantity: number;
                /** @enum {string} */
                side: "buy" | "sell";
                /** @description Credits paid (buy) or received (sell) */
                total: number;
                turns: number;
            };
        };
        User: {
            /** Format: date-time */
            created_at: string;
            email: string;
            /** Format: uuid */
            id: string;
            /** @description Admin scopes; empty for players */
            scopes: string[];
            username: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
