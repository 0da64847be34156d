# Flags of the libFuzzer build (TASCADE_FUZZ=ON): every source gets coverage instrumentation
# for libFuzzer plus AddressSanitizer and UBSan; a sanitizer report aborts, so libFuzzer keeps
# the input that caused it. The fuzz targets add `-fsanitize=fuzzer` (libFuzzer's main).
# -O1 with line tables only: quicker to build than -O2 -g, and reports still name file:line.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "TASCADE_FUZZ needs clang (-DCMAKE_CXX_COMPILER=clang++)")
endif()
set(CMAKE_CXX_FLAGS_RELWITHDEBINFO "-O1 -gline-tables-only")
set(TASCADE_SANITIZERS -fsanitize=address,undefined -fno-sanitize-recover=all)
add_compile_options(-fsanitize=fuzzer-no-link ${TASCADE_SANITIZERS} -fno-omit-frame-pointer)
add_link_options(${TASCADE_SANITIZERS})
