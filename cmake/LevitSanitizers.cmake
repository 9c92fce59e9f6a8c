# LEVIT_SANITIZE instruments every target of the build (libraries, executables and tests alike: a
# sanitizer sees errors only in code that was compiled with it).
#   address: AddressSanitizer (with LeakSanitizer) + UndefinedBehaviorSanitizer. Undefined behaviour
#            aborts instead of printing and going on, so a report fails its test.
#   thread:  ThreadSanitizer. It cannot be combined with AddressSanitizer, hence a build of its own.
# Both keep frame pointers for readable stacks. tools/sanitize.sh builds and runs both.
if(LEVIT_SANITIZE STREQUAL "ON")
  set(LEVIT_SANITIZE address CACHE STRING "" FORCE)  # the former boolean option meant ASan + UBSan
elseif(LEVIT_SANITIZE STREQUAL "OFF")
  set(LEVIT_SANITIZE "" CACHE STRING "" FORCE)
endif()

if(LEVIT_SANITIZE STREQUAL "address")
  set(levit_sanitizer_flags -fsanitize=address,undefined -fno-sanitize-recover=undefined)
  set(levit_sanitizer_define LEVIT_SANITIZER_ADDRESS=1)
elseif(LEVIT_SANITIZE STREQUAL "thread")
  set(levit_sanitizer_flags -fsanitize=thread)
  set(levit_sanitizer_define LEVIT_SANITIZER_THREAD=1)
elseif(NOT LEVIT_SANITIZE STREQUAL "")
  message(FATAL_ERROR "LEVIT_SANITIZE is '${LEVIT_SANITIZE}': use 'address', 'thread' or leave it empty")
endif()

if(LEVIT_SANITIZE)
  add_compile_options(${levit_sanitizer_flags} -fno-omit-frame-pointer)
  add_link_options(${levit_sanitizer_flags})
  # Tests see which sanitizer they run under (e.g. to skip a malloc replacement under ASan).
  add_compile_definitions(${levit_sanitizer_define})
endif()
