//! The learner's steps as a table of functions: how a lab build recompiles
//! only the learner's code after an edit.
//!
//! A module crate calls the functions a learner writes from deep inside its
//! scaffolding (a pipeline calls `fingerprint`, a sync calls `plan_sync`).
//! If the learner's files were modules of that crate, every edit would
//! recompile the whole crate and relink everything on top of it. So a lab
//! build (`cargo xtask lab`, `check`, `verify`) turns on the crate's
//! `external-steps` feature, and then:
//!
//! - the crate compiles **without** the learner's files. In their place it
//!   has small forwarding modules with the same functions, each of which
//!   calls through a table of function pointers, [`learner_steps!`](crate::learner_steps!)'s
//!   `Steps`;
//! - the module's check binary compiles the learner's files itself, fills
//!   the table with them (`install`) and runs the checks, which live in the
//!   crate and were compiled once.
//!
//! After an edit, cargo recompiles one small binary and relinks it; the
//! scaffolding, the checks and their oracles are not touched. Outside a lab
//! build (the default, tests, rust-analyzer, the capstone) nothing changes:
//! the learner's files are ordinary modules of the crate. With the
//! `solution` feature on as well, the crate includes the reference files as
//! usual and the table is not used, so `--all-features` builds behave like
//! the solution variant.
//!
//! The macro writes each function's signature once; the compiler checks the
//! forwarding modules, the table and the binary's `install` call against it.

/// Declares a module crate's learner steps: the `Steps` table of function
/// pointers, `install`, and (in a lab build) the forwarding modules.
///
/// ```ignore
/// labkit::learner_steps! {
///     /// Part A: correlation.
///     mod correlation in "starters/m32/correlation.rs" {
///         fn fingerprint(labels: &BTreeMap<String, String>) -> Fingerprint;
///     }
/// }
/// ```
///
/// Each `mod` names the learner file it stands for (`cargo xtask starters`
/// generates the check binary, the crate's learner-file block and its
/// `edits` constants from these declarations). Signatures name every type (the forwarding modules import the caller's
/// module with `use super::*`), return a type explicitly (`-> ()` for none),
/// and may have lifetime parameters (`fn plan<'a>(…) -> Plan<'a>;`).
#[macro_export]
macro_rules! learner_steps {
    ($(
        $(#[$mattr:meta])*
        mod $module:ident in $file:literal {
            $(
                $(#[$fattr:meta])*
                fn $name:ident $(<$($lt:lifetime),+>)? ( $($arg:ident : $ty:ty),* $(,)? ) -> $ret:ty;
            )*
        }
    )*) => {
        /// The learner's functions, one pointer each; filled by the check
        /// binary with the functions it compiled from the learner's files.
        pub struct Steps {
            $($(
                $(#[$fattr])*
                pub $name: for<$($($lt),+)?> fn($($ty),*) -> $ret,
            )*)*
        }

        static INSTALLED: ::std::sync::OnceLock<Steps> = ::std::sync::OnceLock::new();

        /// Makes `steps` the functions the crate calls (once; later calls
        /// are ignored).
        pub fn install(steps: Steps) {
            let _ = INSTALLED.set(steps);
        }

        #[allow(dead_code)]
        fn steps() -> &'static Steps {
            match INSTALLED.get() {
                Some(steps) => steps,
                None => panic!(
                    "this is a lab build (feature `external-steps`): the learner's functions are compiled into the check binary, which must call install() before anything else"
                ),
            }
        }

        $(
            $(#[$mattr])*
            #[cfg(all(feature = "external-steps", not(feature = "solution")))]
            pub(crate) mod $module {
                #[allow(unused_imports)]
                use super::*;
                $(
                    $(#[$fattr])*
                    pub fn $name $(<$($lt),+>)? ( $($arg : $ty),* ) -> $ret {
                        // The harness learns which step is running, so a
                        // loop in it is reported here (`labkit::stall`).
                        let _running = $crate::stall::enter(stringify!($name), $file);
                        (super::steps().$name)($($arg),*)
                    }
                )*
            }
        )*
    };
}

/// Includes a module crate's learner files: for each, the reference file
/// with the `solution` feature and the learner's file without it.
///
/// In a check binary (the first form) the learner's file is compiled
/// whenever `solution` is off. In the crate's own `lib.rs` (the form that
/// starts with `library;`) it is compiled only outside a lab build: with
/// `external-steps` the check binary has it and the library reaches it
/// through the port.
///
/// ```ignore
/// // crates/desk/src/bin/checks-m32/main.rs
/// labkit::learner_modules! {
///     correlation: "../../../../../solutions/m32/correlation.rs",
///                  "../../../../../starters/m32/correlation.rs";
/// }
/// // crates/desk/src/lib.rs
/// labkit::learner_modules! {
///     library;
///     correlation: "../../../solutions/m32/correlation.rs",
///                  "../../../starters/m32/correlation.rs";
/// }
/// ```
///
/// Paths are relative to the file that invokes the macro; rust-analyzer
/// follows them, so a learner's editor analyses the file in either form.
/// The starter half allows what an unfinished starter has plenty of
/// (unreachable code after a `todo!()`, helpers not called yet, and the
/// shapes given code takes around a `todo!()`: clippy's `never_loop` for a
/// given walk whose body is still the learner's, `diverging_sub_expression`
/// for `let (a, b) = { todo!() };`), and unused variables, which every
/// unwritten step has (its parameters), except in a lab build
/// (`external-steps`): there the compiler reports
/// them, so the lab report can show a learner the unused variable in a step
/// they *have* written (the tool leaves out those in functions that still
/// hold a `todo!()`). `cargo xtask verify` checks the cfg/path shape
/// (`xtask/src/layout.rs`).
#[macro_export]
macro_rules! learner_modules {
    (library; $($files:tt)*) => {
        $crate::learner_modules!(
            @pairs [pub(crate)] (any(feature = "solution", feature = "external-steps"));
            $($files)*
        );
    };
    (@pairs [$vis:vis] $off:tt; $($name:ident: $solution:literal, $starter:literal;)*) => {$(
        #[cfg(feature = "solution")]
        #[path = $solution]
        $vis mod $name;
        #[cfg(not $off)]
        #[path = $starter]
        #[allow(
            unused_imports,
            dead_code,
            unreachable_code,
            unused_mut,
            clippy::never_loop,
            clippy::diverging_sub_expression
        )]
        #[cfg_attr(not(feature = "external-steps"), allow(unused_variables))]
        $vis mod $name;
    )*};
    ($($name:ident: $solution:literal, $starter:literal;)*) => {
        $crate::learner_modules!(
            @pairs [pub(self)] (feature = "solution");
            $($name: $solution, $starter;)*
        );
    };
}
