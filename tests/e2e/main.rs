//! End-to-end tests: the real `gridbot` binary, its polling loop and its sender, against
//! the fake Bot API server over HTTP, on a real SQLite file.

mod harness;

mod bad_input;
mod cli;
mod delivery;
mod foundation;
mod group_life;
