//! One integration-test binary: every test starts the real server on a random port with a fresh database, once on
//! SQLite and once on PostgreSQL.

mod support;

mod access_log;
mod accounts;
mod admin;
mod api;
mod authz;
mod backup;
mod board;
mod care;
mod care_caregivers;
mod cases;
mod children;
mod cli;
mod consent;
mod content;
mod contests;
mod directory;
mod directory_search;
mod durability;
mod durability_writes;
mod intake;
mod ledger;
mod pages;
mod places;
mod processes;
mod recordlink;
mod referrals;
mod replica;
mod replica_cluster;
mod security;
mod sharing;
mod spaces;
mod spaces_edit;
mod spaces_load;
mod spaces_pages;
mod spaces_rules;
mod storage;
mod subsidies;
mod waitlist;
mod waitlist_bands;
mod waitlist_documents;
mod waitlist_figures;
mod waitlist_offers;
mod waitlist_rules;
