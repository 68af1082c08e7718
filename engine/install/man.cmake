# engine/install/man.cmake: the man page and the bash completion, generated at build
# time from the built binary's own --help texts, so neither can drift from
# the program.  Run by the build (engine/install/install.cmake) as
#   cmake -DBIN=txscreen -DVERSION=0.1.0 -DSRC=engine/install -DMAN=txscreen.1 \
#         -DCOMPLETION=txscreen.bash -P engine/install/man.cmake
#
# The man page (roff, man(7) macros): NAME, SYNOPSIS, the top-level --help
# as DESCRIPTION, then one subsection per command with its --help verbatim
# (.nf, so the option columns stay aligned), FILES (where the installed
# binary finds the bundled snapshot, rule sets and profiles) and SEE ALSO.
# Text is escaped for roff: a backslash becomes \e, a line starting with
# '.' or '\'' is guarded with \&, and '-' becomes \- (a real minus, so
# options can be searched and copied).
#
# The completion: the commands from the top-level help ("  NAME  summary"
# rows under "commands:"), and per command every long option on an
# option row ("  --flag ..." or "  -q, --quiet") or a usage line, put into
# engine/install/completion.bash.in.
cmake_minimum_required(VERSION 3.20)

function(help_of out)
  execute_process(COMMAND ${BIN} ${ARGN} --help OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${BIN} ${ARGN} --help failed (${rc})")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

function(roff out text)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

help_of(top)
# The commands: the rows between "commands:" and the next blank line.
string(REGEX MATCH "commands:\n(([ ]+[a-z]+[ ]+[^\n]*\n)+)" _ "${top}")
string(REGEX MATCHALL "[^\n]+" rows "${CMAKE_MATCH_1}")
set(commands "")
foreach(r IN LISTS rows)  # one row a line: the name is its first word
  if(r MATCHES "^  ([a-z]+) ")
    list(APPEND commands ${CMAKE_MATCH_1})
  endif()
endforeach()
if(NOT commands)
  message(FATAL_ERROR "no commands found in `${BIN} --help`")
endif()

roff(top_r "${top}")
set(man ".TH TXSCREEN 1 \"\" \"txscreen ${VERSION}\" \"User Commands\"\n")
string(APPEND man ".SH NAME\ntxscreen \\- streaming transaction screening: sanctions and AML rules over exports\n")
string(APPEND man ".SH SYNOPSIS\n.B txscreen\n.I COMMAND\n[\\fIOPTIONS\\fR] [\\fIARGS\\fR]\n")
string(APPEND man ".SH DESCRIPTION\n.nf\n${top_r}.fi\n.SH COMMANDS\n")
set(cases "")
foreach(c IN LISTS commands)
  help_of(h ${c})
  roff(hr "${h}")
  string(APPEND man ".SS txscreen ${c}\n.nf\n${hr}.fi\n")
  # Long options on option rows and usage lines.
  string(REGEX MATCHALL "(^|\n)(usage:|       txscreen|  +-)[^\n]*" lines "${h}")
  set(flags "")
  foreach(l IN LISTS lines)
    string(REGEX MATCHALL "--[a-z][a-z0-9-]*|(^|[\n ])-[a-zA-Z](,| )" f "${l}")
    foreach(x IN LISTS f)
      string(REGEX REPLACE "[\n ,]" "" x "${x}")
      list(APPEND flags ${x})
    endforeach()
  endforeach()
  list(REMOVE_DUPLICATES flags)
  list(SORT flags)
  list(JOIN flags " " flags)
  string(APPEND cases "        ${c}) flags=\"${flags}\" ;;\n")
endforeach()
string(APPEND man ".SH FILES\n")
string(APPEND man ".TP\n.I PREFIX/share/txscreen/default\\-lists.snap\n")
string(APPEND man "the bundled sanctions snapshot (OFAC SDN and UN consolidated list), used when \\fBscreen\\fR has no \\fB\\-\\-lists\\fR; the binary looks for it beside itself, then in \\fI../share/txscreen/\\fR from its directory\n")
string(APPEND man ".TP\n.I PREFIX/share/txscreen/rules/\n")
string(APPEND man "the built\\-in rule sets (\\fBdefault\\fR, \\fBstrict\\fR) and their country and place lists, as YAML files to copy and edit; the binary carries the same bytes and needs no file for \\fB\\-\\-rules default\\fR\n")
string(APPEND man ".TP\n.I PREFIX/share/txscreen/profiles/\n")
string(APPEND man "the built\\-in input profiles (\\fBnative\\fR, \\fBamlworld\\fR, \\fBsaml\\-d\\fR), likewise\n")
string(APPEND man ".SH EXIT STATUS\nThe table in the DESCRIPTION above; docs/operations.md in the source tree explains each code.\n")
string(APPEND man ".SH SEE ALSO\nREADME.md and docs/ in the source tree (docs/operations.md: install, exit codes, publishing).\n")
file(WRITE ${MAN} "${man}")

list(JOIN commands " " TXS_COMMANDS)
set(TXS_COMMAND_FLAGS "${cases}")
configure_file(${SRC}/completion.bash.in ${COMPLETION} @ONLY)
