/**
 * Guided lessons: one step at a time, each a view (a link through the URL
 * schema), a few sentences with live numbers and a question to try.
 * Previous/Next apply the lesson's view with pushState (Back returns); when
 * the current config is exactly a lesson's view (e.g. opened from a shared
 * link, or after Back) the panel shows that lesson.
 */
import { useEffect, useId, useState } from 'react';
import { useAppStore } from '../../state/store.ts';
import { LESSONS, lessonIndexOf, shownQuery, viewQuery } from './lessons.ts';
import { LiveText, missingReasons, useFactSources } from './LiveText.tsx';
import { useApplyView } from './useApplyView.ts';
import './lessons.css';

export function LessonsPanel() {
  // numbers, not the config: a pan or zoom (a config change) must not re-render the lessons
  const matched = useAppStore((s) => lessonIndexOf(s.config));
  const [index, setIndex] = useState(matched >= 0 ? matched : 0);
  // before the first lesson is opened (and when the view is no lesson) the panel shows a short intro
  const [started, setStarted] = useState(matched >= 0);
  useEffect(() => {
    if (matched >= 0) {
      setIndex(matched);
      setStarted(true);
    }
  }, [matched]);
  const { apply, link } = useApplyView();
  const sources = useFactSources();
  const headingId = useId();
  const lesson = LESSONS[index];
  const onScreen = matched === index;
  const go = (i: number) => {
    setIndex(i);
    setStarted(true);
    apply(LESSONS[i].view);
  };
  const reasons = missingReasons([...lesson.text, lesson.question], sources);
  const tryShownIndex = useAppStore((s) => {
    const current = shownQuery(s.config);
    return lesson.tries.findIndex((t) => viewQuery(t.view) === current);
  });
  const tryShown = tryShownIndex >= 0 ? lesson.tries[tryShownIndex] : undefined;

  return (
    <div className="lessons" data-lesson={lesson.id}>
      <nav aria-label="Lesson steps" className="lesson-steps">
        <p className="lesson-progress" id={`${headingId}-progress`}>
          {started ? `Lesson ${index + 1} of ${LESSONS.length}` : `${LESSONS.length} lessons`}
        </p>
        <progress max={LESSONS.length} value={started ? index + 1 : 0} aria-labelledby={`${headingId}-progress`} />
        <ol>
          {LESSONS.map((l, i) => (
            <li key={l.id}>
              <button
                type="button"
                className="lesson-step"
                aria-current={started && i === index ? 'step' : undefined}
                aria-label={`Lesson ${i + 1}: ${l.title}`}
                title={l.title}
                onClick={() => go(i)}
              >
                {i + 1}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      {!started ? (
        <div className="lesson-intro">
          <p>
            {LESSONS.length} short steps through what low precision does to a tensor: bytes, INT vs FP, outliers, block
            scales, rounding. Each step sets up this page, explains what you see in a few sentences with the numbers
            computed live, and ends with a question to try. Each step is also a link you can share.
          </p>
          <button type="button" onClick={() => go(0)}>
            Start: 1. {LESSONS[0].title}
          </button>
        </div>
      ) : (
      <>
      <article aria-labelledby={headingId} className="lesson">
        <h3 id={headingId}>
          {index + 1}. {lesson.title}
        </h3>
        {lesson.text.map((t, i) => (
          <LiveText key={i} text={t} sources={sources} />
        ))}
        <div className="lesson-question">
          <strong>Try this: </strong>
          <LiveText as="span" text={lesson.question} sources={sources} />
        </div>
        {!onScreen && (
          <p className="lesson-off" role="status">
            {tryShown
              ? `Showing “${tryShown.label}”: the numbers above are for this view.`
              : 'The settings differ from this lesson’s view: the numbers above are for what is on screen now.'}{' '}
            <button type="button" onClick={() => apply(lesson.view)}>
              Back to the lesson’s view
            </button>
          </p>
        )}
        {reasons.length > 0 && (
          <ul className="lesson-missing" aria-label="Numbers not shown">
            {reasons.map((r) => (
              <li key={r}>n/a: {r}</li>
            ))}
          </ul>
        )}
        <div className="lesson-links">
          {lesson.tries.map((t) => (
            <a key={t.label} className="button" {...link(t.view)}>
              Try: {t.label}
            </a>
          ))}
          <a className="lesson-link" {...link(lesson.view)} aria-label={`Link to lesson ${index + 1}: ${lesson.title}`}>
            Link to this lesson
          </a>
        </div>
      </article>
      <div className="lesson-nav">
        <button type="button" onClick={() => go(index - 1)} disabled={index === 0}>
          ← Previous
        </button>
        <button type="button" onClick={() => go(index + 1)} disabled={index === LESSONS.length - 1}>
          Next →
        </button>
      </div>
      </>
      )}
    </div>
  );
}
