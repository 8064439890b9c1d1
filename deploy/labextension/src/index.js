// "(view feedback)" in the Assignments panel moves the file browser to the feedback page
// (deploy/course_exchange.py points it at the page); this plugin then opens that page, so the
// learner reads their feedback in one click.
const FEEDBACK_PAGE = /(^|\/)feedback\/[^/]+\/[^/]+\.html$/;

export default {
  id: 'course-kit-open-feedback:plugin',
  description: 'Opens the feedback page that "(view feedback)" goes to',
  autoStart: true,
  activate: (app) => {
    app.commands.commandExecuted.connect((_, executed) => {
      const path = executed.args && executed.args.path;
      if (executed.id === 'filebrowser:go-to-path' && typeof path === 'string' && FEEDBACK_PAGE.test(path)) {
        void app.commands.execute('docmanager:open', { path });
      }
    });
  }
};
