//! Process tests: the built tools run as a user runs them, against real backends.
//! One binary, so one moto server serves every test (each test uses its own names).

mod support;

mod accessgrant;
mod accessgrant_identity_center;
mod accessgrant_lifecycle;
mod backends;
mod cli;
mod config;
mod cookbook;
mod costq;
mod costq_athena;
mod costq_ce;
mod costq_export;
mod costq_report;
mod dbdump;
mod docs;
mod doctor;
mod envctl;
mod foundation;
mod install;
mod least_privilege;
mod pipelines;
mod sandbox;
mod sesconfig;
mod sesconfig_dns;
mod terminal;
