-- The multi-regional profile's databases, made by the postgres image on its first start:
-- the accounts database on the nexus and one shard per region (compose.yaml, `multi-regional`).
create database sw_accounts owner sectorwars;
create database sw_terran owner sectorwars;
create database sw_nexus owner sectorwars;
