# The dashboard (web/): `npm run build` writes web/dist, which `futureim
# serve` serves. The build reruns only when a file of the app changed.
# Needs web/node_modules (scripts/setup.sh runs `npm ci`); without npm the
# C++ build still works and `futureim serve` reports the dashboard as not built.
find_program(NPM npm)
option(FUTUREIM_WEB "Build the dashboard (web/) with npm" ON)
set(FUTUREIM_WEB_DIR ${PROJECT_SOURCE_DIR}/web)

if(FUTUREIM_WEB AND NPM AND EXISTS ${FUTUREIM_WEB_DIR}/node_modules)
  file(GLOB_RECURSE FUTUREIM_WEB_SOURCES CONFIGURE_DEPENDS ${FUTUREIM_WEB_DIR}/src/*)
  set(stamp ${CMAKE_CURRENT_BINARY_DIR}/web-build.stamp)
  add_custom_command(
    OUTPUT ${stamp}
    COMMAND ${NPM} run --silent build
    COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
    WORKING_DIRECTORY ${FUTUREIM_WEB_DIR}
    DEPENDS ${FUTUREIM_WEB_SOURCES} ${FUTUREIM_WEB_DIR}/index.html ${FUTUREIM_WEB_DIR}/package-lock.json
            ${FUTUREIM_WEB_DIR}/vite.config.ts ${FUTUREIM_WEB_DIR}/tsconfig.json
    COMMENT "Building the dashboard (npm run build in web/)"
    VERBATIM USES_TERMINAL)
  add_custom_target(futureim_web ALL DEPENDS ${stamp})
  set(FUTUREIM_WEB_BUILT ON)
elseif(FUTUREIM_WEB)
  message(STATUS "dashboard: not built (needs npm and web/node_modules: run scripts/setup.sh)")
endif()
