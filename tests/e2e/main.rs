//! End-to-end tests: the real `gridbot` binary, its polling loop and its sender, against
//! the fake Bot API server over HTTP, on a real SQLite file.

mod harness;

mod bad_input;
mod board;
mod city;
mod cli;
mod clocks;
mod clocks_life;
mod delivery;
mod demo;
mod figures;
mod foundation;
mod group_life;
mod limits;
mod ops;
mod ops_setup;
mod outcome;
mod people;
